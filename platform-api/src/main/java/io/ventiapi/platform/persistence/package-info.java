/** Persistence plumbing: the tenant bound to every transaction, for Hibernate and row-level security. */
package io.ventiapi.platform.persistence;
