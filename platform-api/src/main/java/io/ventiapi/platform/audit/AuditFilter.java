package io.ventiapi.platform.audit;

import java.time.Instant;

/** Narrows the audit log; every field is optional. */
public record AuditFilter(String action, String actorType, String targetType, Instant from, Instant to) {

    public static final AuditFilter NONE = new AuditFilter(null, null, null, null, null);
}
