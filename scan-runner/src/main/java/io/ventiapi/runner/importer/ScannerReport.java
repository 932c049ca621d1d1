package io.ventiapi.runner.importer;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.identity.IdentityParser;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a scanner other than the engine printed (ZAP's JSON report, a custom image's SARIF 2.1.0
 * report), collected while its workload runs and turned into the engine's event lines once it has
 * ended. Its output is never passed on as it is: an image could print event lines of its own
 * (findings under the engine's fingerprints, a {@code scan.finished} that says it completed).
 *
 * <p>The report is framed: the scanner prints a line {@link #BEGIN}, the report, and a line {@link
 * #END}; every other line (its log, which a Kubernetes pod's log mixes with its stdout) is ignored.
 * A {@link #BEGIN} seen again starts the report afresh (a log read again from its start after the
 * stream broke). A report without its {@link #END} is unreadable. Bounded: past {@link #MAX_BYTES}
 * the report is dropped and the scanner fails; past {@link ReportLimits#MAX_RESULTS} results it is
 * refused. Not thread-safe.
 */
public final class ScannerReport {

    /** The largest report the runner reads, in bytes of UTF-8 (a line end counted as one). */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    /** Why a scanner whose report is larger than {@link #MAX_BYTES} fails. */
    public static final String TOO_LARGE = "the scanner's report is larger than 8 MiB";

    /** The line a scanner prints just before its report. */
    public static final String BEGIN = "----- BEGIN VENTI SCANNER REPORT -----";

    /** The line a scanner prints just after its report. */
    public static final String END = "----- END VENTI SCANNER REPORT -----";

    /** Why a scanner that printed no complete report (no {@link #BEGIN}, or no {@link #END} after it) fails. */
    public static final String NO_REPORT =
            "the scanner printed no complete report (between the lines '" + BEGIN + "' and '" + END + "')";

    /** A report that does not read as its scanner's. The message names the format, and quotes nothing of it. */
    public static final class UnreadableReportException extends Exception {

        private UnreadableReportException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ScanJob part;
    private final Instant started;
    private StringBuilder text = new StringBuilder();
    private long bytes;
    /** Between {@link #BEGIN} and {@link #END}. */
    private boolean inside;
    /** {@link #END} seen after a {@link #BEGIN}. */
    private boolean complete;

    /**
     * @param part one scanner's part of a scan; a {@link ScannerKind#ZAP} or {@link
     *     ScannerKind#CUSTOM} one
     * @param started when its workload started
     */
    public ScannerReport(ScanJob part, Instant started) {
        if (part.kind() == ScannerKind.VENTI) {
            throw new IllegalArgumentException("the engine's own lines are events, not a report");
        }
        this.part = part;
        this.started = started;
    }

    /** The {@code scan.started} line for this scanner, to tell before its report arrives. */
    public String startedLine() {
        return ImportedScanEvents.started(part.scanId(), part.target().toString(), scannerName(), started);
    }

    /**
     * Adds a line the scanner printed.
     *
     * @return false once the report is larger than {@link #MAX_BYTES}: what it held is dropped
     *     then, and the scanner should be stopped
     */
    public boolean add(String line) {
        if (text == null) {
            return false;
        }
        var marker = line.strip();
        if (marker.equals(BEGIN)) {
            text.setLength(0);
            bytes = 0;
            inside = true;
            complete = false;
            return true;
        }
        if (!inside) {
            return true; // a log line
        }
        if (marker.equals(END)) {
            inside = false;
            complete = true;
            return true;
        }
        bytes += utf8Length(line) + 1;
        if (bytes > MAX_BYTES) {
            text = null;
            return false;
        }
        text.append(line).append('\n');
        return true;
    }

    /** Whether the report grew past {@link #MAX_BYTES}. */
    public boolean tooLarge() {
        return text == null;
    }

    /**
     * The report as the lines that follow {@link #startedLine}: one per finding, then {@code
     * scan.finished}.
     *
     * @param finished when the scanner's workload ended
     * @throws UnreadableReportException if it is not a report of the scanner's format, or too large
     */
    public List<String> findingsAndEnd(Instant finished) throws UnreadableReportException {
        if (text == null) {
            throw new UnreadableReportException(TOO_LARGE, null);
        }
        if (!complete) {
            throw new UnreadableReportException(NO_REPORT, null);
        }
        List<Finding> findings;
        try {
            findings = switch (part.kind()) {
                case ZAP -> ZapReportImporter.findings(text.toString(), part.target());
                case CUSTOM -> SarifImporter.findings(text.toString(), part.target());
                case VENTI -> throw new IllegalStateException("not a report");
            };
        } catch (ReportLimits.TooManyResultsException e) {
            throw new UnreadableReportException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // The parser's words can quote the report, which is the tenant's: the reason does not.
            throw new UnreadableReportException(
                    part.kind() == ScannerKind.ZAP
                            ? "the scanner's output is not a ZAP JSON report"
                            : "the scanner's output is not a SARIF 2.1.0 report",
                    e);
        }
        // ZAP stops its active scan at its limit and reports what it reached: not a scan of
        // everything, whose end would close as fixed what it did not reach.
        boolean cutShort = part.kind() == ScannerKind.ZAP
                && Duration.between(started, finished).toMinutes() >= zapActiveScanMinutes(part.timeBox());
        return ImportedScanEvents.findingsAndEnd(
                part.scanId(),
                withoutKeys(findings),
                started,
                finished,
                cutShort ? ScanEvent.ScanOutcome.TIME_BOX_EXCEEDED : ScanEvent.ScanOutcome.COMPLETED,
                cutShort ? "ZAP's active scan ran until its time limit" : "");
    }

    /**
     * How long ZAP's active scan may run in a part of {@code timeBox}: two minutes less, for ZAP to
     * start, import the document, finish passive scanning and write its report; at least one. A
     * ZAP part that ran this long may have been stopped by the limit, and counts as cut short.
     */
    public static long zapActiveScanMinutes(Duration timeBox) {
        return Math.max(1, timeBox.toMinutes() - 2);
    }

    /**
     * The findings without the keys and tokens the scanner was given (a custom scanner gets the
     * identities), wherever their titles or evidence quote them, as the engine keeps its own out: the
     * platform redacts with the identities the project has when the finding arrives, which are no
     * longer these once one was changed during the scan.
     */
    private List<Finding> withoutKeys(List<Finding> findings) {
        var keys = keysOf(part);
        if (keys.isEmpty()) {
            return findings;
        }
        return findings.stream().map(finding -> finding.redacting(keys)).toList();
    }

    /** The keys, tokens and passwords a job gives its scanner, as the engine keeps them out of what it reports. */
    public static Set<String> keysOf(ScanJob job) {
        var keys = new HashSet<String>();
        for (var identity : job.identities()) {
            try {
                keys.addAll(IdentitySession.keysOf(IdentityParser.parse(identity)));
            } catch (IllegalArgumentException e) {
                // One the engine could not use either: the platform's redaction still applies.
            }
        }
        return keys;
    }

    private String scannerName() {
        return part.kind() == ScannerKind.ZAP ? "OWASP ZAP" : "custom scanner";
    }

    private static long utf8Length(String line) {
        long length = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
