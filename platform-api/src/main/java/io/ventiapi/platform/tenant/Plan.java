package io.ventiapi.platform.tenant;

/** The commercial plan of a tenant, and the quotas that hang on it. */
public enum Plan {
    FREE(1),
    TEAM(3),
    ENTERPRISE(10),
    /** The platform operators' own tenant. */
    INTERNAL(10);

    private final int concurrentScans;

    Plan(int concurrentScans) {
        this.concurrentScans = concurrentScans;
    }

    /** How many of the tenant's scans run at once, across all runners; the rest wait their turn. */
    public int concurrentScans() {
        return concurrentScans;
    }
}
