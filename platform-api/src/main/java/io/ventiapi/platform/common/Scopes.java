package io.ventiapi.platform.common;

import java.util.Set;

/** The OAuth2 scopes of the platform API. API clients are granted a subset; roles imply them. */
public final class Scopes {

    public static final String PLATFORM_ADMIN = "platform:admin";
    public static final String TENANT_ADMIN = "tenant:admin";
    public static final String PROJECTS_READ = "projects:read";
    public static final String PROJECTS_WRITE = "projects:write";
    public static final String SCANS_READ = "scans:read";
    public static final String SCANS_WRITE = "scans:write";
    public static final String FINDINGS_READ = "findings:read";
    public static final String FINDINGS_TRIAGE = "findings:triage";
    public static final String AUDIT_READ = "audit:read";

    /** Scopes an API client of an ordinary tenant may be given. */
    public static final Set<String> TENANT_SCOPES = Set.of(
            TENANT_ADMIN,
            PROJECTS_READ,
            PROJECTS_WRITE,
            SCANS_READ,
            SCANS_WRITE,
            FINDINGS_READ,
            FINDINGS_TRIAGE,
            AUDIT_READ);

    private Scopes() {}
}
