package io.ventiapi.platform.audit;

import java.time.Instant;
import java.util.UUID;

/** One recorded state change, as read back from the log. */
public record AuditEvent(
        UUID id,
        long seq,
        Instant occurredAt,
        String actor,
        String actorType,
        String action,
        String targetType,
        String targetId,
        String sourceIp,
        String userAgent,
        String traceId,
        String summary,
        String hash) {}
