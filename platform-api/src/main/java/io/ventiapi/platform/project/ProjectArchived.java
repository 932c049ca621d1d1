package io.ventiapi.platform.project;

import java.util.UUID;

/**
 * A project of the bound tenant was archived; published inside the archiving transaction, which
 * holds the project's row, so listeners' changes (its scans cancelled) commit or roll back with it.
 */
public record ProjectArchived(UUID projectId) {}
