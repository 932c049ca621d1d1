package io.ventiapi.runner.launch;

import java.util.function.Consumer;

/** A scanner workload that was started (or found) for one scan. */
public interface RunningScan extends AutoCloseable {

    /**
     * Feeds every line the workload prints on stdout (for the venti engine, one NDJSON event per
     * line) to {@code lines}, from its first line, and returns when the workload has ended and
     * its output is exhausted. An attached runner sees the lines again from the start: event
     * consumers are idempotent.
     */
    void follow(Consumer<String> lines) throws InterruptedException;

    /** How the workload ended; call after {@link #follow} returned. */
    WorkloadOutcome outcome();

    /** Stops the workload now (the scan was cancelled); {@link #follow} then returns. */
    void cancel();

    /**
     * Stops following the workload for good, without stopping it for the scan: another runner took
     * the scan over (it thought this one dead) and runs it now. A workload the other runner attaches
     * to (a Kubernetes Job) is left to it, which is the default; one only this runner can reach (its
     * own child process) is stopped, so the scan does not run twice.
     */
    default void handOver() {}

    /** Removes what was created for this scan (the Job and its Secret, or the process's files). */
    @Override
    void close();
}
