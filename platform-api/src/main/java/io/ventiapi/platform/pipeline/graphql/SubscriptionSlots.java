package io.ventiapi.platform.pipeline.graphql;

import io.ventiapi.platform.common.UserErrorException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The subscriptions open on this replica, counted by WebSocket and by tenant: at most {@value
 * #PER_SOCKET} on one socket and {@code perTenant} for one tenant. Each costs the replica a timer
 * that checks its caller and scan twice a minute and a place in the progress fan-out, so a socket
 * sending endless {@code subscribe} messages, or a tenant opening endless sockets, is refused
 * rather than slowing every tenant's progress.
 */
final class SubscriptionSlots {

    /** Subscriptions one WebSocket may hold open: a client watching a few scans needs a few. */
    static final int PER_SOCKET = 20;

    private final int perTenant;
    private final ConcurrentHashMap<String, Integer> bySocket = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> byTenant = new ConcurrentHashMap<>();

    SubscriptionSlots(int perTenant) {
        if (perTenant < 1) {
            throw new IllegalArgumentException("venti.graphql.max-subscriptions-per-tenant must be at least 1");
        }
        this.perTenant = perTenant;
    }

    /**
     * A place for one more subscription of {@code tenant} on {@code socket} (none: not over a
     * WebSocket); {@link Slot#release() released} once the subscription ends, however it ends.
     *
     * @throws UserErrorException {@code BUSY} when the socket or the tenant holds as many as it may
     */
    Slot take(String socket, String tenant) {
        if (!increment(byTenant, tenant, perTenant)) {
            throw UserErrorException.busy(("your tenant has %d subscriptions open on this server, the most it may:"
                            + " end one (complete it, or close its WebSocket) before starting another")
                    .formatted(perTenant));
        }
        if (socket != null && !increment(bySocket, socket, PER_SOCKET)) {
            decrement(byTenant, tenant);
            throw UserErrorException.busy(("this WebSocket has %d subscriptions open, the most one may: complete one"
                            + " before starting another")
                    .formatted(PER_SOCKET));
        }
        return new Slot(socket, tenant);
    }

    private static boolean increment(ConcurrentHashMap<String, Integer> counts, String key, int most) {
        var taken = new AtomicBoolean();
        counts.compute(key, (k, held) -> {
            int now = held == null ? 0 : held;
            if (now >= most) {
                return held;
            }
            taken.set(true);
            return now + 1;
        });
        return taken.get();
    }

    private static void decrement(ConcurrentHashMap<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, held) -> held > 1 ? held - 1 : null);
    }

    /** One subscription's place; releasing it more than once releases it once. */
    final class Slot {

        private final String socket;
        private final String tenant;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String socket, String tenant) {
            this.socket = socket;
            this.tenant = tenant;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                if (socket != null) {
                    decrement(bySocket, socket);
                }
                decrement(byTenant, tenant);
            }
        }
    }
}
