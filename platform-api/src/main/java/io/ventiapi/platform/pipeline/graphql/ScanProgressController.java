package io.ventiapi.platform.pipeline.graphql;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.TransientFailures;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.pipeline.ScanProgress;
import io.ventiapi.platform.pipeline.ScanProgressFeed;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.CallerStanding;
import io.ventiapi.tenancy.Tenancy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

@Controller
class ScanProgressController {

    private static final Logger log = LoggerFactory.getLogger(ScanProgressController.class);

    /** Checks that may fail in a row before the subscription ends. */
    private static final int FAILED_CHECKS_ENDING = 3;

    private final ScanService scans;
    private final ScanProgressFeed feed;
    private final CallerStanding standing;
    private final Duration recheck;
    private final SubscriptionSlots slots;

    ScanProgressController(
            ScanService scans,
            ScanProgressFeed feed,
            CallerStanding standing,
            @Value("${venti.graphql.subscription-recheck:PT30S}") Duration recheck,
            @Value("${venti.graphql.max-subscriptions-per-tenant:200}") int maxSubscriptionsPerTenant) {
        this.scans = scans;
        this.feed = feed;
        this.standing = standing;
        this.recheck = recheck;
        this.slots = new SubscriptionSlots(maxSubscriptionsPerTenant);
    }

    /**
     * The scan's state now, then each change until it ends. The scan is looked up with the
     * caller's tenant bound (WebSocket messages do not pass the HTTP tenant filter), so another
     * tenant's scan id is not found. Refused ({@code BUSY}) while the socket or the tenant holds as
     * many subscriptions open as it may ({@link SubscriptionSlots}).
     */
    @SubscriptionMapping
    Flux<ScanProgress> scanProgress(
            @Argument String scanId, @ContextValue(name = WebSocketSessionIds.KEY, required = false) String socket) {
        var actor = CurrentActor.get();
        UUID id;
        SubscriptionSlots.Slot slot;
        try {
            id = Ids.uuid(scanId, "scan");
            // Before anything is read: a socket sending endless subscriptions costs no statement.
            slot = slots.take(socket, actor.tenant().value());
        } catch (UserErrorException e) {
            return Flux.error(e);
        }
        // The socket was authenticated when it opened: what happened since counts for each new
        // subscription on it, as for each HTTP request.
        var token = token();
        Flux<ScanProgress> changes = null;
        try {
            var refused = refusal(actor, token);
            if (refused.isPresent()) {
                slot.release();
                return Flux.error(refused.get());
            }
            changes = feed.changes(actor.tenant().value(), id);
            var scan = Tenancy.call(actor.tenant(), () -> scans.find(id));
            if (scan.isEmpty()) {
                changes.subscribe().dispose();
                slot.release();
                return Flux.error(UserErrorException.notFound("scan", id));
            }
            var now = ScanProgress.of(actor.tenant().value(), scan.get());
            if (now.isFinal()) {
                changes.subscribe().dispose();
                slot.release();
                return Flux.just(now);
            }
            var checks = checks(actor, token, SecurityContextHolder.getContext(), id);
            return ScanProgressFeed.inOrder(Flux.concat(Flux.just(now), changes).mergeWith(checks))
                    .takeUntil(ScanProgress::isFinal)
                    // Free before the end reaches the client, so that a subscription it sends on
                    // seeing one end finds the place; or once the client completes it or leaves.
                    .doOnTerminate(slot::release)
                    .doFinally(signal -> slot.release());
        } catch (RuntimeException e) {
            // Refused (no scans:read) or the database away: the feed must not keep the listener.
            if (changes != null) {
                changes.subscribe().dispose();
            }
            slot.release();
            throw e;
        }
    }

    /** Why the caller may no longer see scans, if it may not: its token expired, or {@link CallerStanding}. */
    private Optional<UserErrorException> refusal(Actor actor, Jwt token) {
        var expiresAt = token == null ? null : token.getExpiresAt();
        if (expiresAt != null && !Instant.now().isBefore(expiresAt)) {
            return Optional.of(UserErrorException.forbidden("the token expired: subscribe again with a new one"));
        }
        return standing.refusal(actor, token == null ? null : token.getIssuedAt())
                .map(refusal -> UserErrorException.forbidden(refusal.message()));
    }

    /**
     * Every {@code recheck}: an error, which ends the subscription, once the caller may no longer
     * see the scan (its token expired, its API client was revoked or its tenant suspended: the
     * connection was authenticated once, when it opened, and a scan may run for half an hour);
     * and the scan's final state if it has ended and the feed never said so (an announcement
     * lost with Redis), so that no subscription waits for an end that already came.
     *
     * <p>A check that meets a {@linkplain TransientFailures transient failure} (the database
     * restarting, failing over, out of reach) is tried again at the next tick: the subscription
     * outlives a short outage. The {@value #FAILED_CHECKS_ENDING}th failure in a row, or any other
     * failure, ends it as an unexpected error: a caller whose standing stays unconfirmed is not kept
     * on. (While the database is out of reach, each check also waits out the pool's connection
     * timeout, so an outage can delay a revocation's effect by a few minutes.)
     */
    private Flux<ScanProgress> checks(Actor actor, Jwt token, SecurityContext security, UUID id) {
        var failedInARow = new AtomicInteger();
        return Flux.interval(recheck, recheck, Schedulers.boundedElastic()).handle((tick, sink) -> {
            var previous = SecurityContextHolder.getContext();
            SecurityContextHolder.setContext(security);
            try {
                var refused = refusal(actor, token);
                if (refused.isPresent()) {
                    sink.error(refused.get());
                    return;
                }
                var ended = Tenancy.call(actor.tenant(), () -> scans.find(id))
                        .map(scan -> ScanProgress.of(actor.tenant().value(), scan))
                        .filter(ScanProgress::isFinal);
                failedInARow.set(0);
                ended.ifPresent(sink::next);
            } catch (RuntimeException e) {
                int failures = failedInARow.incrementAndGet();
                if (!TransientFailures.test(e) || failures >= FAILED_CHECKS_ENDING) {
                    sink.error(e);
                    return;
                }
                log.warn(
                        "Could not check the subscription to scan {} ({} in a row; {} end it): {}",
                        id,
                        failures,
                        FAILED_CHECKS_ENDING,
                        e.getClass().getSimpleName());
            } finally {
                SecurityContextHolder.setContext(previous);
            }
        });
    }

    private static Jwt token() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token
                ? token.getToken()
                : null;
    }
}
