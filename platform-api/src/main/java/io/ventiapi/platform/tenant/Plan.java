package io.ventiapi.platform.tenant;

/** The commercial plan of a tenant, and the quotas that hang on it. */
public enum Plan {
    FREE(1, 20),
    TEAM(3, 100),
    ENTERPRISE(10, 300),
    /** The platform operators' own tenant. */
    INTERNAL(10, 300);

    private final int concurrentScans;
    private final int activeScans;

    Plan(int concurrentScans, int activeScans) {
        this.concurrentScans = concurrentScans;
        this.activeScans = activeScans;
    }

    /** How many of the tenant's scans run at once, across all runners; the rest wait their turn. */
    public int concurrentScans() {
        return concurrentScans;
    }

    /**
     * How many of the tenant's scans may be queued or running at once; starting another is
     * refused until one ends. Well under the 1,000 jobs a runner reads into its fair queue, so
     * one tenant's backlog never hides another tenant's scans from it (ADR 5).
     */
    public int activeScans() {
        return activeScans;
    }
}
