package io.ventiapi.runner.importer;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * An imported report as the engine's event lines (started, one per finding, finished), so the
 * platform reads every scanner's results through the same protocol. The start can be told apart
 * from the rest, since a report arrives only when its scanner has ended.
 */
public final class ImportedScanEvents {

    private static final ScanEventCodec CODEC = new ScanEventCodec();

    private ImportedScanEvents() {}

    public static List<String> lines(
            String scanId, String target, String scanner, List<Finding> findings, Instant started, Instant finished) {
        var lines = new ArrayList<String>();
        lines.add(started(scanId, target, scanner, started));
        lines.addAll(findingsAndEnd(scanId, findings, started, finished, ScanEvent.ScanOutcome.COMPLETED, ""));
        return lines;
    }

    /** The {@code scan.started} line ({@code seq} 0). */
    public static String started(String scanId, String target, String scanner, Instant started) {
        return CODEC.toLine(new ScanEvent.ScanStarted(scanId, 0, started, target, scanner, 0, "EXTERNAL", 0));
    }

    /**
     * A line per finding, then {@code scan.finished} with {@code outcome} and {@code reason},
     * numbered after {@link #started}.
     */
    public static List<String> findingsAndEnd(
            String scanId,
            List<Finding> findings,
            Instant started,
            Instant finished,
            ScanEvent.ScanOutcome outcome,
            String reason) {
        var lines = new ArrayList<String>();
        long seq = 1;
        var counts = new EnumMap<Severity, Integer>(Severity.class);
        for (var severity : Severity.values()) {
            counts.put(severity, 0);
        }
        for (var finding : findings) {
            lines.add(CODEC.toLine(new ScanEvent.FindingReported(scanId, seq++, finished, finding)));
            counts.merge(finding.severity(), 1, Integer::sum);
        }
        lines.add(CODEC.toLine(new ScanEvent.ScanFinished(
                scanId,
                seq,
                finished,
                outcome,
                reason,
                0,
                Duration.between(started, finished).toMillis(),
                counts)));
        return lines;
    }
}
