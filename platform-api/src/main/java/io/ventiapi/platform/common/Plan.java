package io.ventiapi.platform.common;

/**
 * The commercial plan of a tenant, and the quotas that hang on it. Each quota bounds what one
 * tenant can make the platform keep or do, so that no tenant can fill the database or the
 * runners for the others; reaching one refuses the next creation with a conflict that says which
 * quota and how to make room.
 */
public enum Plan {
    FREE(1, 20, 10, 10, 10, 100),
    TEAM(3, 100, 200, 200, 100, 500),
    ENTERPRISE(10, 300, 2_000, 5_000, 1_000, 2_000),
    /** The platform operators' own tenant. */
    INTERNAL(10, 300, 100, 100, 100, 500);

    private final int concurrentScans;
    private final int activeScans;
    private final int projects;
    private final int members;
    private final int apiClients;
    private final int specVersions;

    Plan(int concurrentScans, int activeScans, int projects, int members, int apiClients, int specVersions) {
        this.concurrentScans = concurrentScans;
        this.activeScans = activeScans;
        this.projects = projects;
        this.members = members;
        this.apiClients = apiClients;
        this.specVersions = specVersions;
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

    /** How many projects the tenant may have that are not archived. */
    public int projects() {
        return projects;
    }

    /** How many members (people) the tenant may have. */
    public int members() {
        return members;
    }

    /** How many API clients the tenant may have that are not revoked. */
    public int apiClients() {
        return apiClients;
    }

    /**
     * How many spec versions one project keeps: each is kept for good (up to the upload limit's
     * size, 10 MB by default, with its operations), and the same document again adds none.
     */
    public int specVersions() {
        return specVersions;
    }
}
