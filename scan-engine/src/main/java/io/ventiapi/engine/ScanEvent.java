package io.ventiapi.engine;

import java.time.Instant;
import java.util.Map;

/**
 * What a scan tells the outside world while it runs, in order. The engine prints each event as one line of
 * NDJSON on stdout ({@link ScanEventCodec}); the platform's scan-runner reads them. Every event carries the
 * scan id and a sequence number that starts at 0 and grows by one, so {@code scanId + seq} identifies an event
 * of one engine run (a scan of several scanners numbers each one's from 0).
 */
public sealed interface ScanEvent {

    /** Which scan this event belongs to. */
    String scanId();

    /** Position of this event in its scan's stream, from 0. */
    long seq();

    /** When the engine emitted it. */
    Instant time();

    /** The scan has planned its work and is about to send its first request. */
    record ScanStarted(
            String scanId,
            long seq,
            Instant time,
            String target,
            String specTitle,
            int operations,
            String profile,
            int identities)
            implements ScanEvent {}

    /** Periodic progress, at most about once a second and at each phase change. */
    record Progress(
            String scanId,
            long seq,
            Instant time,
            String phase,
            int requestsSent,
            int operationsDone,
            int operationsTotal,
            int findings)
            implements ScanEvent {}

    /** A confirmed finding. Each fingerprint is reported at most once per scan. */
    record FindingReported(String scanId, long seq, Instant time, Finding finding) implements ScanEvent {}

    /** The last event of every scan, also when it ended early. */
    record ScanFinished(
            String scanId,
            long seq,
            Instant time,
            ScanOutcome outcome,
            String reason,
            int requestsSent,
            long durationMillis,
            Map<Severity, Integer> findingsBySeverity)
            implements ScanEvent {

        public ScanFinished {
            // Ordered from INFO to CRITICAL so the serialized object always reads the same way.
            java.util.EnumMap<Severity, Integer> ordered = new java.util.EnumMap<>(Severity.class);
            ordered.putAll(findingsBySeverity);
            findingsBySeverity = java.util.Collections.unmodifiableMap(ordered);
        }
    }

    /** How a scan ended. */
    enum ScanOutcome {
        /** Every planned check ran. */
        COMPLETED,
        /** The request budget ran out; the findings so far are valid but coverage is partial. */
        BUDGET_EXHAUSTED,
        /** The time box ran out; the findings so far are valid but coverage is partial. */
        TIME_BOX_EXCEEDED,
        /**
         * The scan could not run, e.g. the target was unreachable, or a check stopped on an internal error (the
         * findings so far are valid); {@code reason} says why.
         */
        FAILED
    }
}
