package io.ventiapi.platform.security.internal;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetParseException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestOperations;

/**
 * Where one registration of an external issuer gets its signing keys, and how often it asks.
 * Anyone can send a token naming a trusted issuer, so the platform's requests to that issuer must
 * not follow the sender's pace:
 *
 * <ul>
 *   <li>the key set is kept {@link #KEPT} and fetched again early only for a token whose key id it
 *       lacks (the provider rotated its keys), at most once per {@link #PAUSE};
 *   <li>after a failed request (discovery or key set), nothing is asked for {@link #PAUSE}; the
 *       tokens in between are refused as if the server were still down;
 *   <li>one request at a time asks; the others wait for its answer at most {@link #WAIT}, then
 *       verify with the keys the last successful fetch returned (when the kept set expired and is
 *       being fetched again) or are refused as if the server could not be reached (the first
 *       fetch, or a fetch for a key id the set lacks).
 * </ul>
 *
 * Before, each forged token with an unknown key id made the platform fetch the key set, and each
 * token of a registration whose discovery failed made it try discovery again, every one holding a
 * request thread for up to {@link IssuerClient#TOTAL}. And every token arriving during a fetch
 * waited for it: a server answering slowly, sent forged tokens by the hundred, held every request
 * thread of the platform, for every tenant.
 *
 * <p>Discovery is OIDC's: {@code <issuer>/.well-known/openid-configuration} must name the issuer
 * and a {@code jwks_uri}. Every URL asked for must be https ({@link OutboundUrlPolicy#checkSecure}).
 */
final class IssuerKeys implements JWKSetSource<SecurityContext> {

    static final Duration KEPT = Duration.ofMinutes(5);
    static final Duration PAUSE = Duration.ofSeconds(30);
    /** How long a token waits for another request's fetch of the key set before giving up on it. */
    static final Duration WAIT = Duration.ofMillis(100);
    /** What the cache says when {@link #WAIT} passed (its refusals have no type of their own). */
    private static final String WAITED_IN_VAIN = "Timeout while waiting for cache refresh";

    private final String issuer;
    private final RestOperations http;
    private final OutboundUrlPolicy outbound;
    private final Clock clock;
    private URI keySetUri;
    private Instant lastFailure;
    private Instant lastEarlyFetch;
    private Instant lastFetch;
    /** The last fetch's keys, until a fetch fails: what verifies while another request fetches. */
    private volatile JWKSet lastKeys;

    IssuerKeys(String issuer, String jwkSetUri, RestOperations http, OutboundUrlPolicy outbound, Clock clock) {
        this.issuer = issuer;
        this.keySetUri = jwkSetUri == null ? null : URI.create(jwkSetUri);
        this.http = http;
        this.outbound = outbound;
        this.clock = clock;
    }

    /** A decoder of this registration's tokens: its issuer, its keys, and an expiry required. */
    JwtDecoder decoder() {
        var cache = new CachingJWKSetSource<>(this, KEPT.toMillis(), WAIT.toMillis(), null);
        var keys = new JWKSetBasedJWKSource<>(new JWKSetSource<SecurityContext>() {
            @Override
            public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long ignored, SecurityContext context)
                    throws KeySourceException {
                // The cache's notion of now is this clock's, as the pauses' is.
                return waitingBriefly(cache, refresh, clock.millis(), context);
            }

            @Override
            public void close() {
                // nothing held
            }
        });
        var decoder = NimbusJwtDecoder.withJwkSource(keys).build();
        // Spring accepts a token without exp as never expiring: an identity provider's token must.
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer),
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, java.util.Objects::nonNull)));
        return decoder;
    }

    /**
     * The cached key set; while another request fetches it, the keys its last fetch returned (a
     * token whose key they lack is refused), or, on the first fetch or after a failed one, a refusal.
     */
    private JWKSet waitingBriefly(
            CachingJWKSetSource<SecurityContext> cache,
            JWKSetCacheRefreshEvaluator refresh,
            long now,
            SecurityContext context)
            throws KeySourceException {
        try {
            return cache.getJWKSet(refresh, now, context);
        } catch (JWKSetUnavailableException e) {
            var message = e.getMessage();
            if (e.getCause() != null || message == null || !message.startsWith(WAITED_IN_VAIN)) {
                throw e;
            }
            var known = lastKeys;
            if (known != null) {
                return known;
            }
            throw new FetchInProgress();
        }
    }

    /** Another request is fetching the key set, which has never been fetched or failed since. */
    static final class FetchInProgress extends RateLimitReachedException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            return "the key set is being fetched by another request";
        }
    }

    /** Called by the cache only, one caller at a time; {@code synchronized} keeps the bookkeeping whole. */
    @Override
    public synchronized JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
            throws KeySourceException {
        var now = clock.instant();
        if (lastFailure != null && now.isBefore(lastFailure.plus(PAUSE))) {
            throw new RateLimitReachedException();
        }
        // Early: asked for a key the set lacks while the set is still fresh (the cache asks with a
        // refresh evaluator then, and also when its set has expired, which is no early fetch).
        var early = !JWKSetCacheRefreshEvaluator.noRefresh().equals(refresh)
                && lastFetch != null
                && now.isBefore(lastFetch.plus(KEPT));
        if (early) {
            if (lastEarlyFetch != null && now.isBefore(lastEarlyFetch.plus(PAUSE))) {
                throw new RateLimitReachedException();
            }
            lastEarlyFetch = now;
        }
        try {
            var keys = JWKSet.parse(get(keySetUri()));
            lastFetch = now;
            lastKeys = keys;
            return keys;
        } catch (ParseException e) {
            failed(now);
            throw new JWKSetParseException("the key set of " + issuer + " is not a JWK set", e);
        } catch (KeySourceException e) {
            failed(now);
            throw e;
        }
    }

    private void failed(Instant now) {
        lastFailure = now;
        // Tokens arriving while it is asked again are refused, as they are during the pause.
        lastKeys = null;
    }

    private URI keySetUri() throws KeySourceException {
        if (keySetUri != null) {
            return keySetUri;
        }
        var location = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            var configuration = JSONObjectUtils.parse(get(location));
            if (!issuer.equals(JSONObjectUtils.getString(configuration, "issuer"))) {
                throw new JWKSetUnavailableException("the discovery document of " + issuer + " names another issuer");
            }
            var found = JSONObjectUtils.getURI(configuration, "jwks_uri");
            if (found == null) {
                throw new JWKSetUnavailableException("the discovery document of " + issuer + " has no jwks_uri");
            }
            keySetUri = found;
            return found;
        } catch (ParseException e) {
            throw new JWKSetUnavailableException("the discovery document of " + issuer + " is not JSON", e);
        }
    }

    private String get(URI uri) throws JWKSetUnavailableException {
        try {
            outbound.checkSecure(uri, "issuer");
            var body = http.getForObject(uri, String.class);
            if (body == null) {
                throw new JWKSetUnavailableException(uri + " answered with no body");
            }
            return body;
        } catch (UserErrorException | IllegalArgumentException e) {
            throw new JWKSetUnavailableException("the platform does not connect to " + uri + ": " + e.getMessage());
        } catch (RestClientException e) {
            throw new JWKSetUnavailableException(uri + " could not be fetched: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Nothing held: the HTTP client is every issuer's (ExternalIssuerDecoders) and closes with the JVM.
    }
}
