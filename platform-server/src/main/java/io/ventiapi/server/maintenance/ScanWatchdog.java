package io.ventiapi.server.maintenance;

import io.ventiapi.platform.pipeline.LostJobs;
import io.ventiapi.platform.pipeline.PipelineProperties;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/**
 * Ends the scans nothing else would, in every tenant, every {@link #INTERVAL}: a scan still running
 * {@link #overdueAfter} after it started has a runner that went quiet for good (Redis lost its job
 * or its end), and would read {@code RUNNING} forever. It ends {@code TIMED_OUT}, audited, and its
 * workload is told to stop. The wait is twice the time box and a runner's visibility timeout: a
 * runner that takes a scan over may give it a fresh time box once; an end arriving later is
 * ignored, as for any ended scan. Replicas may sweep at the same time: each scan is locked and
 * re-checked, so it ends once.
 *
 * <p>A queued scan whose job Redis lost has its request published again ({@link LostJobs}), once
 * it was published at least {@link #INTERVAL} ago. A suspended tenant's scans still queued or
 * running are cancelled, as its suspension does: one that stopped on the way left them.
 */
@Component
@ConditionalOnBean({TenantService.class, ScanService.class})
class ScanWatchdog extends PeriodicSweep {

    static final Duration INTERVAL = Duration.ofMinutes(5);
    private static final int PER_TENANT = 100;
    private static final Logger log = LoggerFactory.getLogger(ScanWatchdog.class);

    private final TenantSweep tenants;
    private final ScanService scans;
    private final LostJobs lostJobs;
    private final Duration overdueAfter;
    private final Clock clock;

    ScanWatchdog(
            TenantService tenants,
            ScanService scans,
            LostJobs lostJobs,
            PipelineProperties pipeline,
            ObjectProvider<Clock> clock) {
        super("scan-watchdog", INTERVAL, INTERVAL);
        this.tenants = new TenantSweep(tenants);
        this.scans = scans;
        this.lostJobs = lostJobs;
        this.overdueAfter = pipeline.scanTimeBox().multipliedBy(2).plus(pipeline.visibilityTimeout());
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** How long after its start a running scan is taken for abandoned. */
    Duration overdueAfter() {
        return overdueAfter;
    }

    /** One sweep of every tenant; returns how many scans it ended, queued again or cancelled. */
    @Override
    int sweep() {
        var now = Instant.now(clock);
        var ended = tenants.run("end overdue scans", () -> scans.endOverdue(now.minus(overdueAfter), PER_TENANT));
        if (ended.done() > 0) {
            log.warn(
                    "Ended {} scans that ran {} past their start with no word from their scanner",
                    ended.done(),
                    overdueAfter);
        }
        var requeued =
                tenants.run("queue lost scan jobs again", () -> lostJobs.requeue(now.minus(INTERVAL), PER_TENANT));
        if (requeued.done() > 0) {
            log.warn("Queued {} scans again whose jobs Redis lost before a runner started them", requeued.done());
        }
        var cancelled = tenants.run("cancel the scans of a suspended tenant", scans::cancelIfTenantSuspended);
        if (cancelled.done() > 0) {
            log.warn("Cancelled {} scans of suspended tenants that their suspension left running", cancelled.done());
        }
        return ended.done() + requeued.done() + cancelled.done();
    }
}
