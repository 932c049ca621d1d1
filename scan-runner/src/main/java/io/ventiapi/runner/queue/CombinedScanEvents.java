package io.ventiapi.runner.queue;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.protocol.ScannerKind;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The events of a scan that runs several scanners one after the other, told as one scan: the first
 * {@code scan.started} only, and instead of each scanner's {@code scan.finished} one at the end
 * that adds up their requests, durations and findings and keeps the worst outcome, naming the
 * scanner it came from. A scanner that exited without saying it finished counts as failed.
 */
final class CombinedScanEvents {

    private static final ScanEventCodec CODEC = new ScanEventCodec();
    /** From best to worst. */
    private static final List<ScanEvent.ScanOutcome> RANK = List.of(
            ScanEvent.ScanOutcome.COMPLETED,
            ScanEvent.ScanOutcome.BUDGET_EXHAUSTED,
            ScanEvent.ScanOutcome.TIME_BOX_EXCEEDED,
            ScanEvent.ScanOutcome.FAILED);

    private final String scanId;
    private final Map<Severity, Integer> findings = new EnumMap<>(Severity.class);
    private boolean started;
    private boolean partFinished;
    private long lastSeq = -1;
    private int requestsSent;
    private long durationMillis;
    private ScanEvent.ScanOutcome outcome = ScanEvent.ScanOutcome.COMPLETED;
    private String reason;

    CombinedScanEvents(String scanId) {
        this.scanId = scanId;
    }

    /** The line to publish now, or empty when it is held back for the combined end. */
    Optional<String> pass(ScannerKind kind, String line) {
        ScanEvent event;
        try {
            event = CODEC.parse(line);
        } catch (RuntimeException e) {
            return Optional.of(line); // not ours to judge: the persister logs and skips it
        }
        lastSeq = Math.max(lastSeq, event.seq());
        return switch (event) {
            case ScanEvent.ScanStarted ignored -> {
                var first = !started;
                started = true;
                yield first ? Optional.of(line) : Optional.empty();
            }
            case ScanEvent.ScanFinished finished -> {
                partFinished = true;
                requestsSent += finished.requestsSent();
                durationMillis += finished.durationMillis();
                finished.findingsBySeverity()
                        .forEach((severity, count) -> findings.merge(severity, count, Integer::sum));
                worse(kind, finished.outcome(), finished.reason());
                yield Optional.empty();
            }
            default -> Optional.of(line);
        };
    }

    /** One scanner's workload exited normally: it must have said how its scan ended. */
    void partEnded(ScannerKind kind) {
        if (!partFinished) {
            worse(kind, ScanEvent.ScanOutcome.FAILED, "the scanner exited without reporting the end of the scan");
        }
        partFinished = false;
    }

    /** The combined {@code scan.finished}, after every scanner ran. */
    String finished() {
        return CODEC.toLine(new ScanEvent.ScanFinished(
                scanId, lastSeq + 1, Instant.now(), outcome, reason, requestsSent, durationMillis, findings));
    }

    private void worse(ScannerKind kind, ScanEvent.ScanOutcome candidate, String why) {
        if (RANK.indexOf(candidate) > RANK.indexOf(outcome)) {
            outcome = candidate;
            reason = why == null ? null : name(kind) + ": " + why;
        }
    }

    static String name(ScannerKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
