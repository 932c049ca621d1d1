package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.scan.ScanStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** What a subscriber to a scan's progress sees when changes arrive out of order. */
class ScanProgressFeedTest {

    private static final UUID SCAN = UUID.randomUUID();

    @Test
    void aSubscriberNeverSeesAScanGoBack() {
        var seen = ScanProgressFeed.inOrder(Flux.just(
                        state(ScanStatus.RUNNING, 50, 10, 6),
                        // Another replica's snapshot at the same percentage, taken before the sixth finding.
                        state(ScanStatus.RUNNING, 50, 10, 5),
                        state(ScanStatus.RUNNING, 50, 9, 6),
                        state(ScanStatus.RUNNING, 40, 12, 7),
                        state(ScanStatus.QUEUED, 0, 0, 0),
                        state(ScanStatus.RUNNING, 60, 12, 7),
                        state(ScanStatus.SUCCEEDED, 100, 20, 8),
                        state(ScanStatus.RUNNING, 90, 18, 8)))
                .map(progress -> progress.status() + " " + progress.progress() + " " + progress.findings())
                .collectList()
                .block();

        assertThat(seen).containsExactly("RUNNING 50 6", "RUNNING 60 7", "SUCCEEDED 100 8");
    }

    private static ScanProgress state(ScanStatus status, int percent, int requests, int findings) {
        return new ScanProgress(SCAN, "acme", status, percent, "checks", requests, findings, null);
    }
}
