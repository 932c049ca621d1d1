package io.ventiapi.platform.security.internal;

import java.time.Instant;
import java.util.Base64;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Makes the authorization codes, as Spring's own generator does (96 random bytes, the client's
 * code lifetime), but none for a member's sign-in session unless the member still has the
 * password it signed in with, and chose it: none once an admin reset it or the member changed it
 * elsewhere, none while it is one-time (ADR 3). Such a session is normally signed out before it
 * asks ({@link PasswordChangedSignOut}); this holds where the code is made, whatever the way in.
 * The refusal is answered with a plain 400, naming no redirect URI.
 */
public final class CurrentPasswordCodes implements OAuth2TokenGenerator<OAuth2AuthorizationCode> {

    private final StringKeyGenerator codes =
            new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 96);
    private final MemberLogins members;

    public CurrentPasswordCodes(MemberLogins members) {
        this.members = members;
    }

    @Override
    public OAuth2AuthorizationCode generate(OAuth2TokenContext context) {
        if (context.getTokenType() == null
                || !OAuth2ParameterNames.CODE.equals(context.getTokenType().getValue())) {
            return null;
        }
        if (context.getPrincipal() instanceof Authentication signedIn
                && signedIn.getPrincipal() instanceof MemberPrincipal member) {
            var refusal = members.passwordRefusal(member);
            if (refusal.isPresent()) {
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                        new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, refusal.get(), null), null);
            }
        }
        var issuedAt = Instant.now();
        var expiresAt =
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getAuthorizationCodeTimeToLive());
        return new OAuth2AuthorizationCode(codes.generateKey(), issuedAt, expiresAt);
    }
}
