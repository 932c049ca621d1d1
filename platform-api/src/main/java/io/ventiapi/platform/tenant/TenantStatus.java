package io.ventiapi.platform.tenant;

/** Whether a tenant's principals may use the platform. */
public enum TenantStatus {
    ACTIVE,
    /** Every token of the tenant is refused at the edge; no data is deleted. */
    SUSPENDED
}
