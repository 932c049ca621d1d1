package io.ventiapi.engine.check;

import java.util.List;

/**
 * A built-in check. The engine calls {@link #checkTarget} once per scan and {@link #checkOperation} once per
 * operation that has a baseline, concurrently; implementations keep no mutable state of their own and report
 * through {@link ScanContext#report}. A check reports only what it confirmed.
 */
public interface Check {

    /** The rules this check can report, for report metadata (SARIF rules, documentation). */
    List<Rule> rules();

    /** Target-wide probes (TRACE, undocumented endpoints). */
    default void checkTarget(ScanContext context) {}

    /** Probes derived from one operation's baseline. */
    default void checkOperation(ScanContext context, Baseline baseline) {}

    /**
     * Probes that need the other checks' traffic to be over, e.g. because they write data other probes also
     * write; called once per scan after every {@link #checkTarget} and {@link #checkOperation} has returned.
     */
    default void afterOtherChecks(ScanContext context) {}
}
