package io.ventiapi.platform.finding;

import java.util.List;
import java.util.UUID;

/**
 * How many findings a project has, by severity and by status, for dashboards; and the open ones
 * (left to fix) by severity.
 */
public record FindingCounts(
        UUID projectId,
        List<SeverityCount> bySeverity,
        List<SeverityCount> openBySeverity,
        List<StatusCount> byStatus,
        int total) {

    /** Findings of one severity. */
    public record SeverityCount(Severity severity, int count) {}

    /** Findings in one status. */
    public record StatusCount(FindingStatus status, int count) {}
}
