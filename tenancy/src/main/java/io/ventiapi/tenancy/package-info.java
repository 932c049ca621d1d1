/** Tenant identity and the tenant context shared by every module. */
package io.ventiapi.tenancy;
