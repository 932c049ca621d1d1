package io.ventiapi.server.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.LocalDatabase;
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
 * A cancel that arrives while the scan is ending waits for the end and is then refused: the user
 * is never told a scan was cancelled whose end then overwrote the cancel, or the other way round.
 * An end reads the state it changes under the scan's lock, also in a transaction that read the
 * scan before a cancel committed.
 */
@VentiIntegrationTest
class ScanEndAndCancelIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanService scans;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aCancelDuringTheEndWaitsForItAndIsRefused() throws Exception {
        var acme = tenants.create("race");
        var scan = new TestProjects(context).seed(acme.id(), "Racing", 0).scanId();
        var ending = new CountDownLatch(1);
        var commit = new CountDownLatch(1);

        // Threads of their own: on two cores the common pool has a single one.
        var threads = Executors.newFixedThreadPool(2);
        var end = CompletableFuture.runAsync(
                () -> SystemActor.run(
                        acme.id(),
                        () -> tx.executeWithoutResult(status -> {
                            assertThat(scans.workloadEnded(scan, "FAILED", "the target went away"))
                                    .isPresent();
                            ending.countDown();
                            Interleavings.await(commit);
                        })),
                threads);
        Interleavings.await(ending);
        var cancel = CompletableFuture.supplyAsync(
                () -> SystemActor.call(acme.id(), () -> {
                    try {
                        scans.cancel(scan);
                        return "cancelled";
                    } catch (UserErrorException e) {
                        return e.getMessage();
                    }
                }),
                threads);
        // The cancel either waits on the scan's row or, unlocked, finishes at once.
        Interleavings.untilDoneOrWaitingOnALock(cancel);
        commit.countDown();
        end.get(30, TimeUnit.SECONDS);
        threads.shutdown();

        assertThat(cancel.get(30, TimeUnit.SECONDS)).contains("has already ended");
        assertThat(SystemActor.call(
                        acme.id(), () -> scans.find(scan).orElseThrow().getStatus()))
                .isEqualTo(ScanStatus.FAILED);
    }

    @Test
    void anEndInATransactionThatReadTheScanBeforeItWasCancelledChangesNothing() throws Exception {
        var acme = tenants.create("stale");
        var scan = new TestProjects(context).seed(acme.id(), "Stale", 0).scanId();
        var threads = Executors.newSingleThreadExecutor();
        try {
            var ended = SystemActor.call(
                    acme.id(),
                    () -> tx.execute(status -> {
                        // As the outbox relay reads a scan before it waits for the scan's project.
                        assertThat(scans.find(scan).orElseThrow().getStatus()).isEqualTo(ScanStatus.QUEUED);
                        var cancel = threads.submit(() -> SystemActor.run(acme.id(), () -> scans.cancel(scan)));
                        try {
                            cancel.get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        return scans.workloadEnded(scan, "FAILED", "its project was archived");
                    }));

            assertThat(ended).as("the scan had ended already").isEmpty();
        } finally {
            threads.shutdown();
        }
        var cancelled = SystemActor.call(acme.id(), () -> scans.find(scan).orElseThrow());
        assertThat(cancelled.getStatus()).isEqualTo(ScanStatus.CANCELLED);
        assertThat(cancelled.getFailureReason()).isNull();
        try (var owner = LocalDatabase.asOwner();
                var ends = owner.prepareStatement(
                        "select count(*) from audit_events where action = 'scan.end' and target_id = ?")) {
            ends.setString(1, scan.toString());
            try (var rows = ends.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).as("scan.end audited").isZero();
            }
        }
    }
}
