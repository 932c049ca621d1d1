package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.issuer.TrustedIssuerRemoved;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.client.RestOperations;

/**
 * The decoders of external issuers' tokens, one per issuer and key set URL (registrations naming
 * the same share it), each keeping its key set ({@link IssuerKeys}), all fetching through one HTTP
 * client. Tenant admins add registrations, so what is kept is bounded: at most {@link #MAX_KEPT}
 * decoders, none unused for longer than {@link #IDLE}, and a removed registration's is dropped at
 * once on this replica (other replicas drop it when idle; its tokens are refused everywhere at
 * once anyway, since every token's registrations are read from the database).
 */
public final class ExternalIssuerDecoders {

    /** Far more than the registrations a replica sees used within {@link #IDLE}, at some 64 KB each at most. */
    static final int MAX_KEPT = 500;
    /** Longer than a key set is kept and a failed issuer is left alone: dropping then forgets nothing. */
    static final Duration IDLE = IssuerKeys.KEPT.plus(IssuerKeys.PAUSE).multipliedBy(2);

    private final RestOperations http;
    private final OutboundUrlPolicy outbound;
    private final Clock clock;
    /** In order of last use, least recent first. */
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);

    public ExternalIssuerDecoders(OutboundUrlPolicy outbound, Clock clock) {
        this(IssuerClient.create(outbound), outbound, clock);
    }

    ExternalIssuerDecoders(RestOperations http, OutboundUrlPolicy outbound, Clock clock) {
        this.http = http;
        this.outbound = outbound;
        this.clock = clock;
    }

    /** The decoder of {@code issuer}'s tokens with the keys at {@code jwkSetUri} (null: found by discovery). */
    synchronized JwtDecoder decoder(String issuer, String jwkSetUri) {
        var now = clock.instant();
        dropUnusedSince(now.minus(IDLE));
        var key = new Key(issuer, jwkSetUri);
        var entry = kept.get(key);
        if (entry == null) {
            // No request is made here: the key set is fetched when a token needs it.
            entry = new Kept(new IssuerKeys(issuer, jwkSetUri, http, outbound, clock).decoder());
            kept.put(key, entry);
            if (kept.size() > MAX_KEPT) {
                var leastRecent = kept.keySet().iterator();
                leastRecent.next();
                leastRecent.remove();
            }
        }
        entry.lastUsed = now;
        return entry.decoder;
    }

    /** A registration was removed: its keys are not kept here, and a registration added again fetches them anew. */
    @TransactionalEventListener
    void removed(TrustedIssuerRemoved removed) {
        forget(removed.issuerUri(), removed.jwkSetUri());
    }

    synchronized void forget(String issuer, String jwkSetUri) {
        kept.remove(new Key(issuer, jwkSetUri));
    }

    synchronized int size() {
        return kept.size();
    }

    private void dropUnusedSince(Instant since) {
        var leastRecent = kept.values().iterator();
        while (leastRecent.hasNext() && leastRecent.next().lastUsed.isBefore(since)) {
            leastRecent.remove();
        }
    }

    private record Key(String issuer, String jwkSetUri) {}

    private static final class Kept {
        final JwtDecoder decoder;
        Instant lastUsed;

        Kept(JwtDecoder decoder) {
            this.decoder = decoder;
        }
    }
}
