package io.ventiapi.platform.security.internal;

import java.util.List;
import java.util.function.Consumer;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * Spring's token revocation ({@code /oauth2/revoke}) and introspection ({@code
 * /oauth2/introspect}), refusing to answer for a token the authorization server signed, that is
 * still valid, but whose authorization it did not keep: an API client's access token
 * ({@link TransientClientCredentialsAuthorizations} keeps none). Spring, finding no authorization,
 * would answer a revocation with success while the token goes on working until it expires, and an
 * introspection with "inactive" for a token the API accepts. Both answer instead {@code
 * unsupported_token_type} (RFC 7009, HTTP 400), saying to revoke the API client, when the token is
 * the asking client's own. Any other token is answered as Spring does (of another client's, nothing
 * is told).
 */
public final class UnrevocableTokens implements AuthenticationProvider {

    static final String REVOKE_THE_CLIENT = "an API client's access token cannot be revoked or introspected on its own:"
            + " revoke the API client (the revokeApiClient mutation), whose tokens are refused from the next request";

    private final AuthenticationProvider spring;
    private final OAuth2AuthorizationService authorizations;
    private final JwtDecoder ownTokens;

    UnrevocableTokens(AuthenticationProvider spring, OAuth2AuthorizationService authorizations, JwtDecoder ownTokens) {
        this.spring = spring;
        this.authorizations = authorizations;
        this.ownTokens = ownTokens;
    }

    /** For an endpoint's {@code authenticationProviders}: wraps each of Spring's. */
    public static Consumer<List<AuthenticationProvider>> wrapping(
            OAuth2AuthorizationService authorizations, JwtDecoder ownTokens) {
        return providers ->
                providers.replaceAll(provider -> new UnrevocableTokens(provider, authorizations, ownTokens));
    }

    @Override
    public Authentication authenticate(Authentication request) {
        var answer = spring.authenticate(request); // first, as it checks the asking client
        var token = tokenOf(request);
        if (token != null && authorizations.findByToken(token, null) == null && ownValid(token, request)) {
            throw new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.UNSUPPORTED_TOKEN_TYPE, REVOKE_THE_CLIENT, null));
        }
        return answer;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return spring.supports(authentication);
    }

    private static String tokenOf(Authentication request) {
        return switch (request) {
            case OAuth2TokenRevocationAuthenticationToken revocation -> revocation.getToken();
            case OAuth2TokenIntrospectionAuthenticationToken introspection -> introspection.getToken();
            default -> null;
        };
    }

    /**
     * Whether the API would take it (signed by one of the platform's keys, by its issuer, unexpired)
     * and it is the asking client's own: of anyone else's token, the answer must not tell whether
     * it still works.
     */
    private boolean ownValid(String token, Authentication request) {
        try {
            return request.getPrincipal() instanceof Authentication client
                    && client.getName().equals(ownTokens.decode(token).getSubject());
        } catch (JwtException e) {
            return false;
        }
    }
}
