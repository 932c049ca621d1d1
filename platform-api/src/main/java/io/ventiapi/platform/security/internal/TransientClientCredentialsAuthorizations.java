package io.ventiapi.platform.security.internal;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps interactive (authorization code) authorizations in memory for the duration of a sign-in
 * and forgets client-credentials ones at once: API clients' tokens are self-contained JWTs and
 * revocation is checked against the client at the edge, so storing every issued token would
 * only grow without bound.
 */
public class TransientClientCredentialsAuthorizations implements OAuth2AuthorizationService {

    private final InMemoryOAuth2AuthorizationService interactive = new InMemoryOAuth2AuthorizationService();

    @Override
    public void save(OAuth2Authorization authorization) {
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            interactive.save(authorization);
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        interactive.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return interactive.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return interactive.findByToken(token, tokenType);
    }
}
