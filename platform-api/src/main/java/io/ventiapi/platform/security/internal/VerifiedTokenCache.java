package io.ventiapi.platform.security.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Verifies each of the platform's own tokens' signature once, not on every request: a CI client
 * sends the same token for minutes, and checking its RSA signature was about a fifth of a small
 * request's CPU time (ADR 8).
 *
 * <p>A token is served from here only as the exact text that verified, only while it passes the
 * validator again (so it expires on time) and only while the key that signed it still verifies
 * (so retiring a key refuses its tokens as promptly as before). Anything else goes to the
 * decoder, which refuses it with its usual reason. Revocations and suspensions are checked on
 * every request after this, at the tenant edge, so a cached signature never lets a revoked
 * client in.
 */
public final class VerifiedTokenCache implements JwtDecoder {

    /** About 4 KB each: a few thousand live tokens at most, then the expired ones go, else all. */
    private static final int MAX_TOKENS = 4096;

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Predicate<String> keyVerifies;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    /**
     * @param decoder verifies signature and claims (with {@code validator})
     * @param validator the decoder's own claim validator, applied again on every cache hit
     * @param keyVerifies whether a key id still verifies tokens
     */
    public VerifiedTokenCache(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, Predicate<String> keyVerifies) {
        this.decoder = decoder;
        this.validator = validator;
        this.keyVerifies = keyVerifies;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        var known = verified.get(token);
        if (known != null) {
            if (stillValid(known)) {
                return known;
            }
            verified.remove(token);
        }
        var jwt = decoder.decode(token);
        if (verified.size() >= MAX_TOKENS) {
            verified.values().removeIf(cached -> !stillValid(cached));
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
        }
        verified.put(token, jwt);
        return jwt;
    }

    /**
     * Whether this exact token verified here before (and has not been dropped since): such a token
     * is one of the platform's own, so its issuer need not be read from it to know where it goes.
     * {@link #decode} still checks its expiry and key as on every request.
     */
    public boolean remembers(String token) {
        return verified.containsKey(token);
    }

    private boolean stillValid(Jwt jwt) {
        return keyVerifies.test((String) jwt.getHeaders().get("kid"))
                && !validator.validate(jwt).hasErrors();
    }
}
