package io.ventiapi.server.maintenance;

import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.tenant.TenantService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reopens accepted risks whose acceptance ran out, in every tenant, every {@code
 * venti.findings.acceptance-check-interval} (and once soon after start): a finding accepted until a
 * date is open again after it, whether or not a scan has seen it since. Each reopening is audited
 * ({@code finding.acceptanceLapsed}). Replicas may sweep at the same time: each finding is locked
 * and re-checked, so it is reopened once.
 */
@Component
@ConditionalOnBean({TenantService.class, FindingService.class})
class AcceptanceExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceExpiry.class);

    private final TenantSweep tenants;
    private final FindingService findings;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    AcceptanceExpiry(
            TenantService tenants,
            FindingService findings,
            @Value("${venti.findings.acceptance-check-interval:PT5M}") Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("venti.findings.acceptance-check-interval must be positive");
        }
        this.tenants = new TenantSweep(tenants);
        this.findings = findings;
        this.interval = interval;
    }

    /** One sweep of every tenant; returns how many findings it reopened. */
    int sweep() {
        var outcome = tenants.run("reopen lapsed risk acceptances", findings::reopenLapsedAcceptances);
        if (outcome.done() > 0) {
            log.info("Reopened {} findings whose risk acceptance ran out", outcome.done());
        }
        return outcome.done();
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("acceptance-expiry").daemon().factory());
        scheduler.scheduleWithFixedDelay(
                this::sweepLogged, Math.min(60_000, interval.toMillis()), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // The database away: the next run tries again.
            log.warn("Sweep of lapsed risk acceptances failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
