package io.ventiapi.server.maintenance;

import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;

/**
 * Runs one piece of platform work in every tenant, one tenant at a time, as the actor {@code
 * system} with that tenant bound: row-level security and the services' rules apply as to anyone.
 * A tenant whose work fails is logged and skipped; the others go on.
 */
final class TenantSweep {

    private static final Logger log = LoggerFactory.getLogger(TenantSweep.class);
    private static final int TENANTS_PER_PAGE = 200;

    private final TenantService tenants;

    TenantSweep(TenantService tenants) {
        this.tenants = tenants;
    }

    /** What a sweep did: the sum of the work's counts, and how many tenants failed. */
    record Outcome(int done, int failedTenants) {}

    /**
     * Runs {@code work} in each tenant.
     *
     * @param what what the work does, for the log
     * @param work returns how many things it changed in the bound tenant
     */
    Outcome run(String what, IntSupplier work) {
        var outcome = new Outcome(0, 0);
        ScrollPosition position = ScrollPosition.keyset();
        while (true) {
            var from = position;
            var page = SystemActor.call(TenantId.PLATFORM, () -> tenants.list(from, Limit.of(TENANTS_PER_PAGE)));
            var done = run(what, page.stream().map(tenant -> tenant.getId()).toList(), work);
            outcome = new Outcome(outcome.done() + done.done(), outcome.failedTenants() + done.failedTenants());
            if (!page.hasNext() || page.isEmpty()) {
                return outcome;
            }
            position = page.positionAt(page.size() - 1);
        }
    }

    /** Runs {@code work} in each of these tenants only. */
    static Outcome run(String what, List<String> tenantIds, IntSupplier work) {
        int done = 0;
        int failed = 0;
        for (var tenant : tenantIds) {
            try {
                done += SystemActor.call(TenantId.of(tenant), work::getAsInt);
            } catch (RuntimeException e) {
                failed++;
                log.error("Could not {} in tenant {}: {}", what, tenant, e.getMessage());
            }
        }
        return new Outcome(done, failed);
    }
}
