package io.ventiapi.platform.common;

import java.util.Set;

/**
 * What a person may do. Each role implies a set of {@linkplain Scopes scopes}; authorization rules
 * are written against scopes only, so people and API clients are judged by one rule.
 */
public enum Role {
    /**
     * Operates the platform across tenants; administers the reserved platform tenant, the only one
     * whose members hold it.
     */
    PLATFORM_ADMIN(Set.of(Scopes.PLATFORM_ADMIN, Scopes.TENANT_ADMIN, Scopes.AUDIT_READ)),
    /** Manages the tenant: members, API clients, trusted issuers, and everything below. */
    TENANT_ADMIN(Set.of(
            Scopes.TENANT_ADMIN,
            Scopes.PROJECTS_READ,
            Scopes.PROJECTS_WRITE,
            Scopes.SCANS_READ,
            Scopes.SCANS_WRITE,
            Scopes.FINDINGS_READ,
            Scopes.FINDINGS_TRIAGE,
            Scopes.AUDIT_READ)),
    /** Runs scans and triages findings. */
    SECURITY_ENGINEER(Set.of(
            Scopes.PROJECTS_READ,
            Scopes.PROJECTS_WRITE,
            Scopes.SCANS_READ,
            Scopes.SCANS_WRITE,
            Scopes.FINDINGS_READ,
            Scopes.FINDINGS_TRIAGE)),
    /** Reads projects, scans and findings. */
    VIEWER(Set.of(Scopes.PROJECTS_READ, Scopes.SCANS_READ, Scopes.FINDINGS_READ));

    private final Set<String> scopes;

    Role(Set<String> scopes) {
        this.scopes = scopes;
    }

    /** The scopes this role grants. */
    public Set<String> scopes() {
        return scopes;
    }

    /** Whether a member of an ordinary tenant (not the platform tenant) may hold this role. */
    public boolean isTenantRole() {
        return this != PLATFORM_ADMIN;
    }
}
