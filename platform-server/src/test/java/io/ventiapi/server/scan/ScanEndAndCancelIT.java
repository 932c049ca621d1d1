package io.ventiapi.server.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
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
 * A cancel that arrives while the scan is ending waits for the end and is then refused: the user
 * is never told a scan was cancelled whose end then overwrote the cancel, or the other way round.
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
}
