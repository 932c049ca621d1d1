package io.ventiapi.server.maintenance;

import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.tenant.TenantService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
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
class AcceptanceExpiry extends PeriodicSweep {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceExpiry.class);

    private final TenantSweep tenants;
    private final FindingService findings;

    AcceptanceExpiry(
            TenantService tenants,
            FindingService findings,
            @Value("${venti.findings.acceptance-check-interval:PT5M}") Duration interval) {
        super("acceptance-expiry", shorter(Duration.ofMinutes(1), positive(interval)), interval);
        this.tenants = new TenantSweep(tenants);
        this.findings = findings;
    }

    /** One sweep of every tenant; returns how many findings it reopened. */
    @Override
    int sweep() {
        var outcome = tenants.run("reopen lapsed risk acceptances", findings::reopenLapsedAcceptances);
        if (outcome.done() > 0) {
            log.info("Reopened {} findings whose risk acceptance ran out", outcome.done());
        }
        return outcome.done();
    }

    private static Duration positive(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("venti.findings.acceptance-check-interval must be positive");
        }
        return interval;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
