package io.ventiapi.platform.tenant;

/** The commercial plan of a tenant; later issues hang quotas on it. */
public enum Plan {
    FREE,
    TEAM,
    ENTERPRISE,
    /** The platform operators' own tenant. */
    INTERNAL
}
