package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.scan.ScanStatus;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans scan progress out to {@code scanProgress} subscribers through a Redis topic, so the replica
 * that persisted a change and the replica holding a subscriber's WebSocket need not be the same.
 * A subscriber's stream starts collecting when it registers, before the caller reads the current
 * state, so no change made in between is missed. Subscribers are kept by scan: a message visits
 * its own scan's subscribers only, however many other scans are watched on the replica.
 */
public class ScanProgressFeed implements AutoCloseable {

    static final String TOPIC = "venti:scan-progress";
    private static final Logger log = LoggerFactory.getLogger(ScanProgressFeed.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RTopic topic;
    private final ConcurrentHashMap<UUID, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final int listener;

    ScanProgressFeed(RedissonClient redis) {
        this.topic = redis.getTopic(TOPIC, StringCodec.INSTANCE);
        this.listener = topic.addListener(String.class, (channel, message) -> deliver(message));
    }

    /**
     * Announces a change to every replica's subscribers of that scan: once the transaction that
     * made it commits, if one is under way. A change rolled back is never announced (a final state
     * would end its subscriptions while the scan goes on).
     */
    void publish(ScanProgress progress) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    announce(progress);
                }
            });
        } else {
            announce(progress);
        }
    }

    private void announce(ScanProgress progress) {
        try {
            topic.publish(JSON.writeValueAsString(progress));
        } catch (RuntimeException e) {
            // Subscribers miss one update; the next one, and scan(id), carry the same state.
            log.warn("Could not announce progress of scan {}: {}", progress.scanId(), e.toString());
        }
    }

    /**
     * The changes of one scan of one tenant from now on, until its final state. Subscribe to the
     * returned stream (or cancel it) to release the registration.
     */
    public Flux<ScanProgress> changes(String tenant, UUID scanId) {
        var subscriber = new Subscriber(tenant, Sinks.many().unicast().onBackpressureBuffer());
        subscribers.compute(scanId, (scan, watching) -> {
            var all = watching != null ? watching : ConcurrentHashMap.<Subscriber>newKeySet();
            all.add(subscriber);
            return all;
        });
        return subscriber
                .sink()
                .asFlux()
                .takeUntil(ScanProgress::isFinal)
                .doFinally(signal -> subscribers.computeIfPresent(scanId, (scan, watching) -> {
                    watching.remove(subscriber);
                    return watching.isEmpty() ? null : watching;
                }));
    }

    /** How many subscriptions this replica feeds now. */
    public int listeners() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    private void deliver(String message) {
        ScanProgress progress;
        try {
            progress = JSON.readValue(message, ScanProgress.class);
        } catch (RuntimeException e) {
            log.warn("Ignoring a malformed progress message: {}", e.toString());
            return;
        }
        var watching = subscribers.get(progress.scanId());
        if (watching == null) {
            return;
        }
        for (var subscriber : watching) {
            if (subscriber.tenant().equals(progress.tenant())) {
                synchronized (subscriber) {
                    subscriber.sink().tryEmitNext(progress);
                }
            }
        }
    }

    @Override
    public void close() {
        topic.removeListener(listener);
        subscribers
                .values()
                .forEach(watching ->
                        watching.forEach(subscriber -> subscriber.sink().tryEmitComplete()));
    }

    /**
     * Drops states older than one already emitted: a change may arrive before the snapshot read,
     * and two replicas may publish snapshots of one scan at the same percentage, the older with
     * fewer findings or requests.
     */
    public static Flux<ScanProgress> inOrder(Flux<ScanProgress> progress) {
        var last = new ScanProgress[1];
        return progress.filter(next -> {
            var previous = last[0];
            if (previous != null && (previous.isFinal() || older(next, previous))) {
                return false;
            }
            last[0] = next;
            return true;
        });
    }

    private static boolean older(ScanProgress next, ScanProgress previous) {
        if (rank(next.status()) != rank(previous.status())) {
            return rank(next.status()) < rank(previous.status());
        }
        return next.progress() < previous.progress()
                || next.findings() < previous.findings()
                || next.requestsSent() < previous.requestsSent();
    }

    private static int rank(ScanStatus status) {
        return switch (status) {
            case QUEUED -> 0;
            case RUNNING -> 1;
            default -> 2;
        };
    }

    /** Compared by identity: two subscriptions to one scan are two subscribers. */
    private static final class Subscriber {

        private final String tenant;
        private final Sinks.Many<ScanProgress> sink;

        Subscriber(String tenant, Sinks.Many<ScanProgress> sink) {
            this.tenant = tenant;
            this.sink = sink;
        }

        String tenant() {
            return tenant;
        }

        Sinks.Many<ScanProgress> sink() {
            return sink;
        }
    }
}
