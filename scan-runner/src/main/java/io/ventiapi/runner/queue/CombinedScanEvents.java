package io.ventiapi.runner.queue;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.protocol.ScannerKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events of a scan that runs several scanners one after the other, told as one scan: the first
 * {@code scan.started} only, and instead of each scanner's {@code scan.finished} one at the end
 * that adds up their requests, durations and findings and keeps the worst outcome, naming the
 * scanner it came from. A scanner that exited without saying it finished counts as failed.
 *
 * <p>Each scanner's start is also told as a {@code progress} line of the runner's own, its phase
 * the scanner's name ({@code zap}), with the requests and findings of the scanners before it: only
 * the engine prints progress, and the persisters place the scan's bar at the start of the part
 * (the runner publishes each line with its part, {@link ScanEventPublisher#engineLine(
 * io.ventiapi.protocol.ScanJob, String, int, int)}). Every scanner numbers its events from 0; a
 * line of the runner's own takes the {@code seq} after the highest passed so far, as the combined
 * end does, so the end still comes after every line.
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
    private final List<ScannerKind> kinds;
    private final Map<Severity, Integer> findings = new EnumMap<>(Severity.class);
    /** The scanner running now, by its place in {@link #kinds}. */
    private int part;
    /** The last part whose start was told; a log read again from its start does not tell it twice. */
    private int announced = -1;

    private boolean started;
    private boolean partFinished;
    private long lastSeq = -1;
    private int requestsSent;
    private long durationMillis;
    private ScanEvent.ScanOutcome outcome = ScanEvent.ScanOutcome.COMPLETED;
    private String reason;

    /** @param kinds the scanners, in the order they run */
    CombinedScanEvents(String scanId, List<ScannerKind> kinds) {
        this.scanId = scanId;
        this.kinds = List.copyOf(kinds);
    }

    /** The scanner running now, by its place in the scan's scanners (from 0). */
    int part() {
        return part;
    }

    /** How many scanners the scan runs. */
    int parts() {
        return kinds.size();
    }

    /**
     * The lines to publish now for a line the running scanner printed, in order: none when it is
     * held back for the combined end, and after the scanner's {@code scan.started} the runner's
     * {@code progress} line telling the part's start.
     */
    List<String> pass(String line) {
        var kind = kinds.get(part);
        ScanEvent event;
        try {
            event = CODEC.parse(line);
        } catch (RuntimeException e) {
            return List.of(line); // not ours to judge: the persister logs and skips it
        }
        lastSeq = Math.max(lastSeq, event.seq());
        return switch (event) {
            case ScanEvent.ScanStarted ignored -> {
                var out = new ArrayList<String>(2);
                if (!started) {
                    out.add(line);
                }
                started = true;
                if (announced < part) {
                    announced = part;
                    out.add(partStarted(kind));
                }
                yield out;
            }
            case ScanEvent.ScanFinished finished -> {
                if (partFinished) {
                    yield List.of(); // its log read again (a Kubernetes log stream broke): counted once
                }
                partFinished = true;
                requestsSent += finished.requestsSent();
                durationMillis += finished.durationMillis();
                finished.findingsBySeverity()
                        .forEach((severity, count) -> findings.merge(severity, count, Integer::sum));
                worse(kind, finished.outcome(), finished.reason());
                yield List.of();
            }
            default -> List.of(line);
        };
    }

    /** One scanner's workload exited normally: it must have said how its scan ended. The next one runs. */
    void partEnded() {
        if (!partFinished) {
            worse(
                    kinds.get(part),
                    ScanEvent.ScanOutcome.FAILED,
                    "the scanner exited without reporting the end of the scan");
        }
        partFinished = false;
        part++;
    }

    /** The runner's own {@code progress} line for the start of a part: its phase names the scanner. */
    private String partStarted(ScannerKind kind) {
        var found = findings.values().stream().mapToInt(Integer::intValue).sum();
        return CODEC.toLine(
                new ScanEvent.Progress(scanId, ++lastSeq, Instant.now(), name(kind), requestsSent, 0, 0, found));
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
