package io.ventiapi.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a scan, for reports.
 *
 * @param scanId the scan's id
 * @param target the target base URL
 * @param apiTitle the title of the scanned API
 * @param startedAt when the scan started
 * @param duration how long it ran
 * @param outcome how it ended
 * @param reason why it ended early, or empty
 * @param requestsSent requests sent to the target
 * @param operationsTested operations that got a baseline exchange
 * @param operationsPlanned operations in the plan
 * @param findings confirmed findings, most severe first
 * @param notes what the user should know of how the scan went beyond its findings: operations it left alone and
 *     why, objects it could not delete; empty when there is nothing to say
 */
public record ScanResult(
        String scanId,
        String target,
        String apiTitle,
        Instant startedAt,
        Duration duration,
        ScanEvent.ScanOutcome outcome,
        String reason,
        int requestsSent,
        int operationsTested,
        int operationsPlanned,
        List<Finding> findings,
        List<String> notes) {

    public ScanResult {
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }

    /** Whether any finding is at least as severe as {@code threshold}. */
    public boolean hasFindingAtLeast(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().isAtLeast(threshold));
    }
}
