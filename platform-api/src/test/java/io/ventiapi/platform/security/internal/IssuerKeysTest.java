package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.platform.outbound.OutboundProperties;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Anyone can send tokens naming a trusted issuer; the platform asks that issuer at its own pace.
 * The clock is moved by hand: nothing here depends on how long the test takes.
 */
class IssuerKeysTest {

    private final OutboundUrlPolicy loopbackAllowed = new OutboundUrlPolicy(new OutboundProperties(true, false));
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final AtomicInteger discoveries = new AtomicInteger();
    private final AtomicInteger keySetsServed = new AtomicInteger();
    private HttpServer server;
    private String issuer;
    private volatile RSAKey published;
    private volatile String discoveredIssuer;
    private volatile Hold held;

    @BeforeEach
    void start() throws Exception {
        published = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/corp";
        discoveredIssuer = issuer;
        server.createContext("/realms/corp/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            respond(exchange, "{\"issuer\":\"" + discoveredIssuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}");
        });
        server.createContext("/realms/corp/jwks", exchange -> {
            var hold = held;
            if (hold != null) {
                hold.requested().countDown();
                try {
                    hold.released().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            keySetsServed.incrementAndGet();
            respond(exchange, new JWKSet(published.toPublicJWK()).toString());
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        var hold = held;
        if (hold != null) {
            hold.released().countDown();
        }
        server.stop(0);
    }

    /** The key set server keeps each request waiting until {@code released} counts down. */
    private record Hold(CountDownLatch requested, CountDownLatch released) {}

    private Hold holdKeySets() {
        var hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
        held = hold;
        return hold;
    }

    private JwtDecoder decoder(String jwkSetUri) {
        return new IssuerKeys(issuer, jwkSetUri, IssuerClient.create(loopbackAllowed), loopbackAllowed, clock)
                .decoder();
    }

    @Test
    void theKeySetIsFoundByDiscoveryOnceAndKept() throws Exception {
        var decoder = decoder(null);

        for (int i = 0; i < 5; i++) {
            assertThat(decoder.decode(token(published)).getSubject()).isEqualTo("alice");
        }

        assertThat(discoveries).hasValue(1);
        assertThat(keySetsServed).hasValue(1);
    }

    @Test
    void unknownKeyIdsFetchTheKeySetAgainAtMostOncePerPause() throws Exception {
        var decoder = decoder(issuer + "/jwks");
        decoder.decode(token(published));

        for (int i = 0; i < 20; i++) {
            var forged = token(new RSAKeyGenerator(2048).keyID("forged-" + i).generate());
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        }
        assertThat(keySetsServed).as("the first fetch and one early one").hasValue(2);

        // The provider rotates its key; a token signed with the new one is verified after the pause.
        var rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        published = rotated;
        assertThatThrownBy(() -> decoder.decode(token(rotated))).isInstanceOf(JwtException.class);
        clock.advance(IssuerKeys.PAUSE);
        assertThat(decoder.decode(token(rotated)).getSubject()).isEqualTo("alice");
        assertThat(keySetsServed).hasValue(3);
    }

    @Test
    void aKeySetOlderThanItsKeepingIsFetchedAgainWhateverTheTokensKey() throws Exception {
        var decoder = decoder(issuer + "/jwks");
        decoder.decode(token(published));
        var forged = token(new RSAKeyGenerator(2048).keyID("forged").generate());
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(keySetsServed).as("the first fetch and one early one").hasValue(2);

        // Kept by this clock too, not the machine's: the provider's withdrawn keys go on time.
        clock.advance(IssuerKeys.KEPT);
        assertThat(decoder.decode(token(published)).getSubject()).isEqualTo("alice");

        assertThat(keySetsServed).as("a due fetch, not an early one").hasValue(3);
    }

    @Test
    @Timeout(60) // a safety net only: the latches decide what is asserted
    void aTokenArrivingWhileTheFirstDownloadIsHeldIsRefusedAtOnceNotQueuedBehindIt() throws Exception {
        var decoder = decoder(issuer + "/jwks");
        var hold = holdKeySets();
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = background.submit(() -> decoder.decode(token(published)));
            hold.requested().await();

            // Still held: refused now, not after the download (which the server may drag out).
            assertThatThrownBy(() -> decoder.decode(token(published)))
                    .isInstanceOf(JwtException.class)
                    .hasRootCauseInstanceOf(RateLimitReachedException.class);

            held = null;
            hold.released().countDown();
            assertThat(first.get().getSubject())
                    .as("the download serves its own request")
                    .isEqualTo("alice");
        }
        assertThat(keySetsServed).hasValue(1);
    }

    @Test
    @Timeout(60) // a safety net only: the latches decide what is asserted
    void anExpiredKeySetStillVerifiesWhileAnotherRequestFetchesItAgain() throws Exception {
        var decoder = decoder(issuer + "/jwks");
        decoder.decode(token(published));
        clock.advance(IssuerKeys.KEPT);
        var hold = holdKeySets();
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var refreshing = background.submit(() -> decoder.decode(token(published)));
            hold.requested().await();

            assertThat(decoder.decode(token(published)).getSubject())
                    .as("the keys being refreshed still verify meanwhile")
                    .isEqualTo("alice");
            var unknown = token(new RSAKeyGenerator(2048).keyID("forged").generate());
            assertThatThrownBy(() -> decoder.decode(unknown)).isInstanceOf(JwtException.class);

            held = null;
            hold.released().countDown();
            assertThat(refreshing.get().getSubject()).isEqualTo("alice");
        }
        assertThat(keySetsServed).as("the first fetch and the refresh").hasValue(2);
    }

    @Test
    void keysAreNotServedFromAnExpiredSetOnceAFetchFailed() throws Exception {
        var decoder = decoder(issuer + "/jwks");
        decoder.decode(token(published));
        clock.advance(IssuerKeys.KEPT);
        server.removeContext("/realms/corp/jwks");

        assertThatThrownBy(() -> decoder.decode(token(published))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(token(published))).isInstanceOf(JwtException.class);
    }

    @Test
    void afterAFailedDiscoveryNothingIsAskedUntilThePauseIsOver() throws Exception {
        discoveredIssuer = "https://someone-else.example";
        var decoder = decoder(null);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> decoder.decode(token(published))).isInstanceOf(JwtException.class);
        }
        assertThat(discoveries).hasValue(1);
        assertThat(keySetsServed)
                .as("a document naming another issuer is not followed")
                .hasValue(0);

        discoveredIssuer = issuer;
        clock.advance(IssuerKeys.PAUSE.minus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> decoder.decode(token(published))).isInstanceOf(JwtException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(decoder.decode(token(published)).getSubject()).isEqualTo("alice");
        assertThat(discoveries).hasValue(2);
    }

    @Test
    void aKeySetOverHttpToAnotherMachineIsNeverAsked() throws Exception {
        var decoder = new IssuerKeys(
                        issuer,
                        "http://93.184.216.34/jwks",
                        IssuerClient.create(loopbackAllowed),
                        loopbackAllowed,
                        clock)
                .decoder();

        assertThatThrownBy(() -> decoder.decode(token(published)))
                .isInstanceOf(JwtException.class)
                .hasStackTraceContaining("an https URL is required");
    }

    private String token(RSAKey key) throws Exception {
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject("alice")
                        .issueTime(new Date())
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
