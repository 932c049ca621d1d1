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
 * platform reads every scanner's results through the same protocol.
 */
public final class ImportedScanEvents {

    private ImportedScanEvents() {}

    public static List<String> lines(
            String scanId, String target, String scanner, List<Finding> findings, Instant started, Instant finished) {
        var codec = new ScanEventCodec();
        var lines = new ArrayList<String>();
        long seq = 0;
        lines.add(codec.toLine(new ScanEvent.ScanStarted(scanId, seq++, started, target, scanner, 0, "EXTERNAL", 0)));
        var counts = new EnumMap<Severity, Integer>(Severity.class);
        for (var severity : Severity.values()) {
            counts.put(severity, 0);
        }
        for (var finding : findings) {
            lines.add(codec.toLine(new ScanEvent.FindingReported(scanId, seq++, finished, finding)));
            counts.merge(finding.severity(), 1, Integer::sum);
        }
        lines.add(codec.toLine(new ScanEvent.ScanFinished(
                scanId,
                seq,
                finished,
                ScanEvent.ScanOutcome.COMPLETED,
                "",
                0,
                Duration.between(started, finished).toMillis(),
                counts)));
        return lines;
    }
}
