package io.ventiapi.server.maintenance;

import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.tenant.TenantService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/**
 * Reopens accepted risks whose acceptance ran out, in every tenant, every {@code
 * venti.findings.acceptance-check-interval} (and once soon after start): a finding accepted until a
 * date is open again after it, whether or not a scan has seen it since. Each reopening is audited
 * ({@code finding.acceptanceLapsed}). A tenant's lapsed acceptances are handled {@value #BATCH} to
 * a transaction: a hundred thousand lapsing on one day would otherwise be loaded, locked and audited
 * in one transaction, holding the tenant's audit chain (which every other change of the tenant
 * waits for) while it commits. Replicas may sweep at the same time: each finding is locked and
 * re-checked, so it is reopened once.
 */
@Component
@ConditionalOnBean({TenantService.class, FindingService.class})
class AcceptanceExpiry extends PeriodicSweep {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceExpiry.class);

    /** How many lapsed acceptances one transaction reopens. */
    static final int BATCH = 500;

    private final TenantSweep tenants;
    private final FindingService findings;
    private final int batch;

    @Autowired
    AcceptanceExpiry(
            TenantService tenants,
            FindingService findings,
            @Value("${venti.findings.acceptance-check-interval:PT5M}") Duration interval) {
        this(tenants, findings, interval, BATCH);
    }

    /** @param batch how many lapsed acceptances one transaction reopens at most */
    AcceptanceExpiry(TenantService tenants, FindingService findings, Duration interval, int batch) {
        super("acceptance-expiry", shorter(Duration.ofMinutes(1), positive(interval)), interval);
        if (batch < 1) {
            throw new IllegalArgumentException("a batch of lapsed acceptances holds at least one");
        }
        this.tenants = new TenantSweep(tenants);
        this.findings = findings;
        this.batch = batch;
    }

    /** One sweep of every tenant; returns how many findings it reopened. */
    @Override
    int sweep() {
        var outcome = tenants.run("reopen lapsed risk acceptances", this::reopenLapsed);
        if (outcome.done() > 0) {
            log.info("Reopened {} findings whose risk acceptance ran out", outcome.done());
        }
        return outcome.done();
    }

    /** Reopens every lapsed acceptance of the bound tenant, a batch to a transaction; returns how many. */
    int reopenLapsed() {
        int reopened = 0;
        int done;
        do {
            // Each batch leaves ACCEPTED_RISK, so the next one finds the rest.
            done = findings.reopenLapsedAcceptances(batch);
            reopened += done;
        } while (done == batch);
        return reopened;
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
