package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.ActorType;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts into every token what the resource server needs to know without a lookup: the tenant,
 * whether a person or a machine acts, and (for people) their roles. Signs with the current key.
 */
public class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    public static final String TENANT = "tenant";
    public static final String ACTOR_TYPE = "actor_type";
    public static final String ROLES = "roles";
    public static final String ACTOR_ID = "actor_id";

    private final SigningKeyStore keys;
    private final MemberLogins members;

    public TokenClaims(SigningKeyStore keys, MemberLogins members) {
        this.keys = keys;
        this.members = members;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        context.getJwsHeader().keyId(keys.currentKeyId());
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            // An ID token says who signed in, to the portal; without a tenant it opens no API.
            return;
        }
        var claims = context.getClaims();
        Authentication principal = context.getPrincipal();
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                && principal instanceof OAuth2ClientAuthenticationToken) {
            var client = context.getRegisteredClient();
            claims.claim(TENANT, client.getClientSettings().<String>getSetting(ApiClientRegistrations.TENANT_SETTING));
            claims.claim(ACTOR_TYPE, ActorType.API_CLIENT.name());
            claims.claim(
                    ACTOR_ID, client.getClientSettings().<String>getSetting(ApiClientRegistrations.CLIENT_ROW_SETTING));
            if (context.getAuthorizedScopes().isEmpty()) {
                // No scope asked for: the client gets all it was granted, the least surprising default.
                claims.claim("scope", List.copyOf(client.getScopes()));
            }
        } else if (principal.getPrincipal() instanceof MemberPrincipal member) {
            // The member as they are now, not as their sign-in session remembers them: one removed
            // since gets no token, one given another role a token with that role, and one whose
            // password is one-time, or was set again since the sign-in, none (ADR 3).
            var found = members.find(member.username());
            var current = found.filter(row -> row.memberId().equals(member.memberId()))
                    .orElseThrow(() -> new OAuth2AuthenticationException(
                            new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "this member was removed", null)));
            member.passwordRefusal(found).ifPresent(refusal -> {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, refusal, null));
            });
            claims.claim(TENANT, current.tenantId());
            claims.claim(ACTOR_TYPE, ActorType.USER.name());
            claims.claim(ACTOR_ID, member.memberId().toString());
            claims.claim(ROLES, List.of(current.role().name()));
        }
    }
}
