package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.finding.FindingStatus;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person triaging a finding while the scan that closes it as fixed ends: both lock the finding
 * and write to the tenant's audit chain. Neither is aborted as a deadlock; the chain's lock is
 * the last either takes.
 */
@VentiIntegrationTest
class LockOrderIT {

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
    void aTriageWhileAScanEndsAndClosesTheFindingDeadlocksNeither() throws Exception {
        var acme = tenants.create("lock-order");
        var seeded = new TestProjects(context).seed(acme.id(), "Contended", 1);
        var finding = seeded.findingIds().getFirst();
        // A later scan that does not see the finding, and whose scanner said it completed.
        var scan = SystemActor.call(acme.id(), () -> {
            var id = scans.start(seeded.projectId(), null).getId();
            scans.scannerFinished(id, "COMPLETED", null, 1);
            return id;
        });
        var ended = new CountDownLatch(1);
        var close = new CountDownLatch(1);
        var threads = Executors.newFixedThreadPool(2);

        var ending = CompletableFuture.runAsync(
                () -> SystemActor.run(
                        acme.id(),
                        () -> tx.executeWithoutResult(status -> {
                            assertThat(scans.workloadEnded(scan, "SUCCEEDED", null))
                                    .isPresent();
                            ended.countDown();
                            Interleavings.await(close);
                            recorder.closeScan(scan);
                        })),
                threads);
        Interleavings.await(ended);
        var triage = CompletableFuture.runAsync(
                () -> SystemActor.run(
                        acme.id(), () -> findings.triage(finding, FindingStatus.FALSE_POSITIVE, "test data", null)),
                threads);
        Interleavings.untilDoneOrWaitingOnALock(triage);
        close.countDown();

        ending.get(30, TimeUnit.SECONDS);
        triage.get(30, TimeUnit.SECONDS);
        threads.shutdown();
        assertThat(SystemActor.call(
                        acme.id(), () -> findings.find(finding).orElseThrow().getStatus()))
                .as("the person's judgement stands; the scan closes only open findings")
                .isEqualTo(FindingStatus.FALSE_POSITIVE);
    }
}
