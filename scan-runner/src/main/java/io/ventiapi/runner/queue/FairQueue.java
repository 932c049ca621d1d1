package io.ventiapi.runner.queue;

import io.ventiapi.tenancy.TenantId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * Jobs a runner holds but has not started, one FIFO per tenant, served round-robin: a tenant with
 * a thousand queued scans gets one turn, then the next tenant with work gets one. Not thread-safe:
 * the runner's scheduling loop owns it.
 *
 * @param <J> the job, with whatever the runner needs to start and acknowledge it
 */
final class FairQueue<J> {

    private final LinkedHashMap<TenantId, ArrayDeque<J>> byTenant = new LinkedHashMap<>();
    private final Function<J, TenantId> tenantOf;
    private TenantId lastServed;

    FairQueue(Function<J, TenantId> tenantOf) {
        this.tenantOf = tenantOf;
    }

    void add(J job) {
        byTenant.computeIfAbsent(tenantOf.apply(job), tenant -> new ArrayDeque<>())
                .addLast(job);
    }

    /**
     * The next job in round-robin order whose tenant may start one now ({@code admit} answers, and
     * may take a slot as it does: it is asked at most once per call, for the first job it admits).
     *
     * @return the job and what {@code admit} gave for it
     */
    <P> Optional<Admitted<J, P>> next(Function<TenantId, Optional<P>> admit) {
        var tenants = new ArrayList<>(byTenant.keySet());
        if (tenants.isEmpty()) {
            return Optional.empty();
        }
        int start = lastServed == null ? 0 : (tenants.indexOf(lastServed) + 1) % tenants.size();
        for (int i = 0; i < tenants.size(); i++) {
            var tenant = tenants.get((start + i) % tenants.size());
            var admitted = admit.apply(tenant);
            if (admitted.isPresent()) {
                var queue = byTenant.get(tenant);
                var job = queue.removeFirst();
                if (queue.isEmpty()) {
                    byTenant.remove(tenant);
                    // Keep the rotation position although the tenant's queue is gone.
                }
                lastServed = tenant;
                return Optional.of(new Admitted<>(job, admitted.get()));
            }
        }
        return Optional.empty();
    }

    /** Removes the first job matching {@code match} (a cancelled scan); returns it if there was one. */
    Optional<J> remove(java.util.function.Predicate<J> match) {
        for (var entry : byTenant.entrySet()) {
            var iterator = entry.getValue().iterator();
            while (iterator.hasNext()) {
                var job = iterator.next();
                if (match.test(job)) {
                    iterator.remove();
                    if (entry.getValue().isEmpty()) {
                        byTenant.remove(entry.getKey());
                    }
                    return Optional.of(job);
                }
            }
        }
        return Optional.empty();
    }

    /** The next job of {@code tenant}, if it has one waiting. */
    Optional<J> peek(TenantId tenant) {
        var queue = byTenant.get(tenant);
        return queue == null ? Optional.empty() : Optional.of(queue.getFirst());
    }

    int size() {
        return byTenant.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    record Admitted<J, P>(J job, P permit) {}
}
