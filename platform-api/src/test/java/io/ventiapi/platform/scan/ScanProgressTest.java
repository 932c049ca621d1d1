package io.ventiapi.platform.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.project.ScanProfile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a scan shows of its scanner's progress. */
class ScanProgressTest {

    private final Scan scan =
            new Scan(UUID.randomUUID(), UUID.randomUUID(), ScanProfile.SAFE, List.of("VENTI"), "alice", Instant.now());

    @Test
    void aLatePhaseWithALowerPercentageDoesNotReplaceTheLaterOneButItsRequestsCount() {
        scan.progressed("checks", 100, 50);
        scan.progressed("cleanup", 120, 90);

        assertThat(scan.progressed("checks", 130, 50)).isTrue();

        assertThat(scan.getPhase()).isEqualTo("cleanup");
        assertThat(scan.getProgress()).isEqualTo(90);
        assertThat(scan.getRequestsSent()).isEqualTo(130);
    }

    @Test
    void aPhaseAtTheSamePercentageIsShownAndFewerRequestsDoNotCountBack() {
        scan.progressed("venti", 40, 0);
        scan.progressed("zap", 10, 0);

        assertThat(scan.getPhase()).isEqualTo("zap");
        assertThat(scan.getProgress()).isZero();
        assertThat(scan.getRequestsSent()).isEqualTo(40);
    }
}
