package io.ventiapi.platform.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps interactive (authorization code) authorizations in memory for as long as they serve,
 * and forgets client-credentials ones at once: API clients' tokens are self-contained JWTs and
 * revocation is checked against the client at the edge, so storing every issued token would
 * only grow without bound. An interactive one is kept until its access token expires (its
 * {@code /userinfo} needs it until then), or its code if none was exchanged, or {@link #PENDING}
 * if neither says; at most {@link #KEPT} at once, the oldest going first. Spring's store alone
 * kept every completed sign-in for good.
 */
public class TransientClientCredentialsAuthorizations implements OAuth2AuthorizationService {

    static final Duration PENDING = Duration.ofMinutes(10);
    static final int KEPT = 10_000;

    private final InMemoryOAuth2AuthorizationService interactive = new InMemoryOAuth2AuthorizationService();
    /** Interactive authorizations' ids and when they may go, the earliest saved first. */
    private final Map<String, Instant> expiries = new LinkedHashMap<>();

    private final Clock clock;

    public TransientClientCredentialsAuthorizations(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            return;
        }
        interactive.save(authorization);
        expiries.remove(authorization.getId());
        expiries.put(authorization.getId(), expiry(authorization));
        forgetExpired();
    }

    @Override
    public synchronized void remove(OAuth2Authorization authorization) {
        interactive.remove(authorization);
        expiries.remove(authorization.getId());
    }

    @Override
    public synchronized OAuth2Authorization findById(String id) {
        return interactive.findById(id);
    }

    @Override
    public synchronized OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return interactive.findByToken(token, tokenType);
    }

    private Instant expiry(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getAccessToken();
        if (token == null) {
            token = authorization.getToken(OAuth2AuthorizationCode.class);
        }
        var expiresAt = token == null ? null : token.getToken().getExpiresAt();
        return expiresAt != null ? expiresAt : clock.instant().plus(PENDING);
    }

    private void forgetExpired() {
        var now = clock.instant();
        var entries = expiries.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (entry.getValue().isBefore(now) || expiries.size() > KEPT) {
                var stale = interactive.findById(entry.getKey());
                if (stale != null) {
                    interactive.remove(stale);
                }
                entries.remove();
            }
        }
    }
}
