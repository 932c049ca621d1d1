package io.ventiapi.runner.launch;

import io.ventiapi.engine.Evidence;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.runner.importer.ScannerReport;

/** How a scanner workload ended. */
public sealed interface WorkloadOutcome {

    /**
     * The same outcome, a failure's reason without the keys and passwords {@code job} gave its
     * scanner: a reason may quote what the scanner printed (a crashing custom scanner's last lines,
     * a request it made). Applied where the outcome is known, before it is logged or published.
     */
    default WorkloadOutcome withoutKeysOf(ScanJob job) {
        if (this instanceof Failed failed) {
            var keys = ScannerReport.keysOf(job);
            if (!keys.isEmpty()) {
                return new Failed(Evidence.redactor(keys).apply(failed.reason()));
            }
        }
        return this;
    }

    /** The scanner exited normally (findings or not). */
    record Succeeded() implements WorkloadOutcome {}

    /** The scanner crashed, exited non-zero, or could not be started; {@code reason} says which. */
    record Failed(String reason) implements WorkloadOutcome {}

    /** The workload ran past the scan's time box and was stopped. */
    record TimedOut() implements WorkloadOutcome {}

    /** The scan was cancelled and the workload stopped. */
    record Cancelled() implements WorkloadOutcome {}
}
