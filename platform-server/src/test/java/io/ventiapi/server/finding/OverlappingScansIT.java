package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.finding.FindingStatus;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two scans of one project at once: the first to succeed does not close as fixed a finding the
 * other saw while it ran. A vulnerability that is there must not read FIXED.
 */
@VentiIntegrationTest
class OverlappingScansIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanService scans;

    @Autowired
    FindingRecorder recorder;

    @Autowired
    FindingService findings;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aFindingTheOtherRunningScanSawIsNotClosedAsFixed() {
        var acme = tenants.create("overlap");
        var seeded = new TestProjects(context).seed(acme.id(), "Busy", 3);
        var stillThere = seeded.findingIds().get(0);
        var seenByBoth = seeded.findingIds().get(1);
        var gone = seeded.findingIds().get(2);

        var closed = SystemActor.call(acme.id(), () -> {
            var first = scans.start(seeded.projectId(), null).getId();
            var second = scans.start(seeded.projectId(), null).getId();
            // The second scan sees findings 0 and 1; the first, which ends first, only finding 1.
            recorder.record(
                    second,
                    List.of(TestProjects.finding("fp-0", Severity.INFO), TestProjects.finding("fp-1", Severity.LOW)));
            recorder.record(first, List.of(TestProjects.finding("fp-1", Severity.LOW)));
            scans.scannerFinished(first, "COMPLETED", null, 2);
            return tx.execute(status -> {
                scans.workloadEnded(first, "SUCCEEDED", null);
                return recorder.closeScan(first);
            });
        });

        assertThat(closed.fixed()).as("only the finding no scan saw since").isEqualTo(1);
        SystemActor.run(acme.id(), () -> {
            assertThat(status(stillThere)).isEqualTo(FindingStatus.OPEN);
            assertThat(status(seenByBoth)).isEqualTo(FindingStatus.OPEN);
            assertThat(status(gone)).isEqualTo(FindingStatus.FIXED);
        });
    }

    private FindingStatus status(java.util.UUID id) {
        return findings.find(id).orElseThrow().getStatus();
    }
}
