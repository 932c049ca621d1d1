package io.ventiapi.server.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * An external OIDC issuer on 127.0.0.1, as an enterprise IdP would be: it serves its discovery
 * document and JWK set over real HTTP and signs tokens with its own RSA key.
 */
public final class FakeOidcIssuer implements AutoCloseable {

    private final HttpServer server;
    private volatile RSAKey key;
    private final String issuer;
    private final java.util.concurrent.atomic.AtomicInteger keySetsServed =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile KeySetHold held;

    public FakeOidcIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/corp";
        server.createContext("/realms/corp/jwks", exchange -> {
            var hold = held;
            if (hold != null) {
                hold.requested.countDown();
                try {
                    hold.released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            keySetsServed.incrementAndGet();
            respond(exchange, new JWKSet(key.toPublicJWK()).toString());
        });
        server.createContext(
                "/realms/corp/.well-known/openid-configuration",
                exchange -> respond(
                        exchange,
                        Api.JSON.writeValueAsString(Map.of(
                                "issuer",
                                issuer,
                                "jwks_uri",
                                issuer + "/jwks",
                                "authorization_endpoint",
                                issuer + "/auth",
                                "token_endpoint",
                                issuer + "/token",
                                "subject_types_supported",
                                new String[] {"public"},
                                "id_token_signing_alg_values_supported",
                                new String[] {"RS256"},
                                "response_types_supported",
                                new String[] {"code"}))));
        // One thread per request: a held key set request must not hold the others up.
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /**
     * From now on each key set request waits, as at a slow server, until the returned hold is
     * released (which also ends the holding); {@link KeySetHold#awaitRequest} tells when one arrived.
     */
    public KeySetHold holdKeySets() {
        var hold = new KeySetHold();
        held = hold;
        return hold;
    }

    /** Key set requests kept waiting; see {@link #holdKeySets}. */
    public final class KeySetHold {
        private final java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        /** Waits until a key set request has arrived and is being held. */
        public void awaitRequest() throws InterruptedException {
            requested.await();
        }

        /** Answers the held requests, and every later one at once. */
        public void release() {
            held = null;
            released.countDown();
        }
    }

    /** Signs with a new key from now on and publishes only that one, as a provider whose key leaked. */
    public void rotateKey() throws Exception {
        key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    /** Stops serving the discovery document, as an issuer without one (or a moved one) would. */
    public void stopDiscovery() {
        server.removeContext("/realms/corp/.well-known/openid-configuration");
    }

    public String issuer() {
        return issuer;
    }

    public String jwkSetUri() {
        return issuer + "/jwks";
    }

    /** The audience of its tokens unless a test names another in the claims. */
    public static final String AUDIENCE = "ventiapi";

    /** A token for {@code subject} valid for five minutes, for {@link #AUDIENCE}, with extra claims. */
    public String token(String subject, Map<String, Object> claims) throws Exception {
        return sign(key, issuer, subject, claims);
    }

    /** A token of this issuer that never expires: no {@code exp} claim. */
    public String tokenWithoutExpiry(String subject, Map<String, Object> claims) throws Exception {
        var builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(new Date());
        claims.forEach(builder::claim);
        return sign(key, builder);
    }

    /** A token claiming this issuer but signed with a key it never published. */
    public String forgedToken(String subject, Map<String, Object> claims) throws Exception {
        return sign(new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate(), issuer, subject, claims);
    }

    /** A token claiming this issuer, signed with a key of an id it never published. */
    public String tokenWithUnknownKey(String subject, Map<String, Object> claims) throws Exception {
        return sign(
                new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate(), issuer, subject, claims);
    }

    /** How many times its key set was fetched. */
    public int keySetsServed() {
        return keySetsServed.get();
    }

    /**
     * A token naming another issuer, signed with this one's key: what a tenant that registered
     * someone else's issuer with this key set could mint.
     */
    public String tokenAs(String otherIssuer, String subject, Map<String, Object> claims) throws Exception {
        return sign(key, otherIssuer, subject, claims);
    }

    private static String sign(RSAKey key, String issuer, String subject, Map<String, Object> claims) throws Exception {
        var now = Instant.now();
        var builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
        claims.forEach(builder::claim);
        return sign(key, builder);
    }

    private static String sign(RSAKey key, JWTClaimsSet.Builder builder) throws Exception {
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                builder.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        var hold = held;
        if (hold != null) {
            hold.release();
        }
        server.stop(0);
    }
}
