package io.ventiapi.platform.finding;

import java.util.UUID;

/** Narrows the findings list; null fields do not narrow. */
public record FindingFilter(
        UUID projectId, Severity minSeverity, FindingStatus status, OwaspCategory category, String ruleId) {

    public static final FindingFilter NONE = new FindingFilter(null, null, null, null, null);
}
