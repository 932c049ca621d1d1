package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanStatus;
import java.util.UUID;

/**
 * A scan's progress as subscribers see it ({@code scanProgress}); the same values {@code scan(id)}
 * shows.
 */
public record ScanProgress(
        UUID scanId,
        String tenant,
        ScanStatus status,
        int progress,
        String phase,
        int requestsSent,
        int findings,
        String failureReason) {

    public static ScanProgress of(String tenant, Scan scan) {
        return new ScanProgress(
                scan.getId(),
                tenant,
                scan.getStatus(),
                scan.getProgress(),
                scan.getPhase(),
                scan.getRequestsSent(),
                scan.getSeverityCounts().total(),
                scan.getFailureReason());
    }

    /** Whether nothing follows. */
    public boolean isFinal() {
        return !status.isActive();
    }
}
