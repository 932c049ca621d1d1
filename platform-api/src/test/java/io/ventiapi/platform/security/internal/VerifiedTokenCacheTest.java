package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The platform's own tokens are verified once, yet still expire and die with their key. */
class VerifiedTokenCacheTest {

    private static final String ISSUER = "http://localhost:8080";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final List<JWK> liveKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger verifications = new AtomicInteger();
    private RSAKey key;
    private VerifiedTokenCache tokens;

    @BeforeEach
    void setUp() throws JOSEException {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        liveKeys.add(key.toPublicJWK());
        var timestamps = new JwtTimestampValidator(Duration.ofSeconds(60));
        timestamps.setClock(clock);
        var validator = new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(ISSUER));
        var nimbus = NimbusJwtDecoder.withJwkSource((selector, context) -> selector.select(new JWKSet(liveKeys)))
                .build();
        nimbus.setJwtValidator(validator);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        tokens = new VerifiedTokenCache(
                counting,
                validator,
                kid -> liveKeys.stream().anyMatch(k -> k.getKeyID().equals(kid)));
    }

    @Test
    void aTokenIsVerifiedOnceAndThenServedAsItWas() throws Exception {
        var token = sign("acme", clock.instant().plusSeconds(600));

        var first = tokens.decode(token);
        var second = tokens.decode(token);

        assertThat(second.getClaimAsString("tenant")).isEqualTo("acme");
        assertThat(second.getTokenValue()).isEqualTo(first.getTokenValue());
        assertThat(verifications).hasValue(1);
    }

    @Test
    void remembersOnlyTokensThatVerifiedAndStillDo() throws Exception {
        var token = sign("acme", clock.instant().plusSeconds(600));
        assertThat(tokens.remembers(token)).isFalse();

        tokens.decode(token);
        assertThat(tokens.remembers(token)).isTrue();

        clock.advance(Duration.ofSeconds(600 + 61));
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class);
        assertThat(tokens.remembers(token)).isFalse();
    }

    @Test
    void aRememberedTokenStillExpiresOnTime() throws Exception {
        var token = sign("acme", clock.instant().plusSeconds(600));
        tokens.decode(token);

        clock.advance(Duration.ofSeconds(600 + 61));

        assertThatThrownBy(() -> tokens.decode(token))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsRetired() throws Exception {
        var token = sign("acme", clock.instant().plusSeconds(600));
        tokens.decode(token);

        liveKeys.clear();

        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void onlyTheExactTextThatVerifiedIsRemembered() throws Exception {
        var token = sign("acme", clock.instant().plusSeconds(600));
        tokens.decode(token);
        var parts = token.split("\\.");
        var forged =
                parts[0] + "." + sign("other", clock.instant().plusSeconds(600)).split("\\.")[1] + "." + parts[2];

        assertThatThrownBy(() -> tokens.decode(forged)).hasMessageContaining("signature");
        assertThat(tokens.decode(token).getClaimAsString("tenant")).isEqualTo("acme");
    }

    private String sign(String tenant, Instant expiresAt) throws JOSEException {
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("ci")
                .claim("tenant", tenant)
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(expiresAt))
                .build();
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
