package io.ventiapi.runner.launch;

/** How a scanner workload ended. */
public sealed interface WorkloadOutcome {

    /** The scanner exited normally (findings or not). */
    record Succeeded() implements WorkloadOutcome {}

    /** The scanner crashed, exited non-zero, or could not be started; {@code reason} says which. */
    record Failed(String reason) implements WorkloadOutcome {}

    /** The workload ran past the scan's time box and was stopped. */
    record TimedOut() implements WorkloadOutcome {}

    /** The scan was cancelled and the workload stopped. */
    record Cancelled() implements WorkloadOutcome {}
}
