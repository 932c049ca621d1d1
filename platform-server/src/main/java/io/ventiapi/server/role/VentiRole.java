package io.ventiapi.server.role;

/** What a process of the platform does; {@code venti.roles} lists them (default: all). */
public enum VentiRole {
    /** The GraphQL API, the authorization server, the persisters. */
    API,
    /** The Vaadin admin portal. */
    PORTAL,
    /** Consumes scan jobs and launches scanner workloads. */
    RUNNER
}
