package io.ventiapi.platform.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code venti.security.*}.
 *
 * @param issuer the built-in authorization server's issuer URL, as clients reach it; tokens
 *     carry it and the resource server recognises its own tokens by it
 * @param masterKey base64 of 32 random bytes: encrypts the signing keys and project identities at
 *     rest. Required; the local dev run generates one under {@code ~/.ventiapi/dev}
 * @param previousMasterKeys master keys replaced by {@code masterKey}: they only open what they
 *     sealed, which the platform re-seals with {@code masterKey} at start (see {@code MasterKey})
 * @param accessTokenTtl lifetime of access tokens
 * @param portalRedirectUris where the portal client may receive authorization codes
 */
@Validated
@ConfigurationProperties("venti.security")
public record SecurityProperties(
        @DefaultValue("http://localhost:8080") String issuer,
        String masterKey,
        @DefaultValue List<String> previousMasterKeys,
        @DefaultValue("PT1H") Duration accessTokenTtl,

        @DefaultValue("http://localhost:8080/login/oauth2/code/venti")
        List<String> portalRedirectUris) {

    /** The public client the admin portal signs people in with (authorization code + PKCE). */
    public static final String PORTAL_CLIENT_ID = "venti-portal";
}
