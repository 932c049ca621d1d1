/** Binding the tenant context to database transactions (Hibernate and PostgreSQL row-level security). */
package io.ventiapi.tenancy.jdbc;
