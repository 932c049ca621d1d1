package io.ventiapi.platform.project;

import java.time.Instant;
import java.util.UUID;

/** A test identity as callers see it: settings in full, the secret only as a masked hint. */
public record TestIdentity(
        UUID id,
        UUID projectId,
        String name,
        IdentityKind kind,
        IdentitySettings settings,
        String maskedSecret,
        Instant updatedAt) {}
