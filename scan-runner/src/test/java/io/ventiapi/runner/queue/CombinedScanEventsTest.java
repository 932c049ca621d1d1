package io.ventiapi.runner.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.protocol.ScannerKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The events of a scan of several scanners, as the runner tells them. */
class CombinedScanEventsTest {

    private static final ScanEventCodec CODEC = new ScanEventCodec();

    @Test
    void eachScannersStartIsToldAsProgressNamingItAfterEverythingBeforeItAndTheEndComesLast() {
        var combined = new CombinedScanEvents("s", List.of(ScannerKind.VENTI, ScannerKind.ZAP));
        var published = new ArrayList<String>();

        assertThat(combined.part()).isZero();
        assertThat(combined.parts()).isEqualTo(2);
        published.addAll(combined.pass(line(new ScanEvent.ScanStarted("s", 0, Instant.now(), "t", "x", 1, "SAFE", 0))));
        published.addAll(combined.pass(line(progress(1, "baseline", 1))));
        published.addAll(combined.pass(line(progress(2, "cleanup", 3))));
        published.addAll(combined.pass(line(finished(3, 4, Map.of(Severity.HIGH, 2)))));
        combined.partEnded();
        assertThat(combined.part()).isEqualTo(1);
        // ZAP numbers its events from 0 too; its start is the runner's, its end held back.
        published.addAll(combined.pass(line(new ScanEvent.ScanStarted("s", 0, Instant.now(), "t", "x", 0, "SAFE", 0))));
        published.addAll(combined.pass(line(finished(1, 0, Map.of()))));
        combined.partEnded();
        published.add(combined.finished());

        var events = published.stream().map(CODEC::parse).toList();
        assertThat(events)
                .extracting(event -> event instanceof ScanEvent.Progress p
                        ? p.phase()
                        : event.getClass().getSimpleName())
                .containsExactly("ScanStarted", "venti", "baseline", "cleanup", "zap", "ScanFinished");
        var zapStart = (ScanEvent.Progress) events.get(4);
        assertThat(zapStart.requestsSent()).isEqualTo(4);
        assertThat(zapStart.findings()).isEqualTo(2);
        // The runner's lines come after the highest seq passed so far, and the end after them.
        assertThat(events.get(1).seq()).isEqualTo(1);
        assertThat(zapStart.seq()).isEqualTo(4);
        assertThat(events.getLast().seq()).isEqualTo(5);
    }

    @Test
    void aPartsEndReadAgainFromTheScannersLogCountsOnce() {
        var combined = new CombinedScanEvents("s", List.of(ScannerKind.VENTI, ScannerKind.ZAP));
        var end = line(finished(3, 4, Map.of(Severity.HIGH, 2)));

        combined.pass(end);
        combined.pass(end); // a Kubernetes log stream broke after the last line and was read again
        combined.partEnded();
        combined.pass(line(finished(1, 0, Map.of())));
        combined.partEnded();

        var total = (ScanEvent.ScanFinished) CODEC.parse(combined.finished());
        assertThat(total.requestsSent()).isEqualTo(4);
        assertThat(total.findingsBySeverity()).containsEntry(Severity.HIGH, 2);
    }

    @Test
    void aPartsStartReadAgainFromTheScannersLogIsNotToldTwice() {
        var combined = new CombinedScanEvents("s", List.of(ScannerKind.ZAP, ScannerKind.VENTI));
        var started = line(new ScanEvent.ScanStarted("s", 0, Instant.now(), "t", "x", 0, "SAFE", 0));

        assertThat(combined.pass(started)).hasSize(2);
        assertThat(combined.pass(started)).isEmpty();
    }

    private static ScanEvent.Progress progress(long seq, String phase, int requests) {
        return new ScanEvent.Progress("s", seq, Instant.now(), phase, requests, 1, 1, 0);
    }

    private static ScanEvent.ScanFinished finished(long seq, int requests, Map<Severity, Integer> findings) {
        return new ScanEvent.ScanFinished(
                "s", seq, Instant.now(), ScanEvent.ScanOutcome.COMPLETED, null, requests, 10, findings);
    }

    private static String line(ScanEvent event) {
        return CODEC.toLine(event);
    }
}
