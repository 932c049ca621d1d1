package io.ventiapi.platform.scan;

/** Where a scan is in its life. */
public enum ScanStatus {
    /** Accepted and waiting for a runner. */
    QUEUED,
    /** A scanner is working on it. */
    RUNNING,
    /** Finished; its findings are recorded. */
    SUCCEEDED,
    /** Stopped by an error; see its failure reason. */
    FAILED,
    /** Stopped because someone cancelled it. */
    CANCELLED,
    /** Stopped by its time box. */
    TIMED_OUT;

    /** Whether the scan may still change. */
    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }
}
