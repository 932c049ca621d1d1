package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.StorableText;
import io.ventiapi.platform.security.SecurityProperties;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The clients the authorization server knows: the portal (a public client, authorization code
 * with PKCE) and every tenant's API clients (client credentials), read from {@code api_clients}
 * through the one cross-tenant lookup that signing in needs. Revoked clients and clients of
 * suspended tenants are unknown to it.
 */
public class ApiClientRegistrations implements RegisteredClientRepository {

    /** The client setting that carries an API client's tenant into the token. */
    public static final String TENANT_SETTING = "venti.tenant";
    /** The client setting that carries an API client's row id into the token. */
    public static final String CLIENT_ROW_SETTING = "venti.api-client-id";

    private final JdbcClient jdbc;
    private final Duration accessTokenTtl;
    private final RegisteredClient portal;

    public ApiClientRegistrations(JdbcClient jdbc, SecurityProperties properties) {
        this.jdbc = jdbc;
        this.accessTokenTtl = properties.accessTokenTtl();
        this.portal = RegisteredClient.withId(SecurityProperties.PORTAL_CLIENT_ID)
                .clientId(SecurityProperties.PORTAL_CLIENT_ID)
                .clientName("VentiAPI admin portal")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(properties.portalRedirectUris()))
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(accessTokenTtl)
                        .build())
                .build();
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("API clients are created through ApiClientService");
    }

    @Override
    public RegisteredClient findById(String id) {
        if (portal.getId().equals(id)) {
            return portal;
        }
        // Authorizations of API clients are never stored, so nothing looks them up by id.
        return null;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (portal.getClientId().equals(clientId)) {
            return portal;
        }
        return lookup(clientId).orElse(null);
    }

    private Optional<RegisteredClient> lookup(String clientId) {
        if (clientId == null || clientId.length() > 100 || StorableText.holdsNul(clientId)) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        select id, tenant_id, client_id, name, secret_hash, scopes from venti_api_client_login(?)
                        where not revoked and tenant_status = 'ACTIVE'""")
                .param(clientId)
                .query((rs, n) -> register(
                        rs.getObject("id", UUID.class).toString(),
                        rs.getString("tenant_id"),
                        rs.getString("client_id"),
                        rs.getString("name"),
                        rs.getString("secret_hash"),
                        rs.getString("scopes")))
                .optional();
    }

    private RegisteredClient register(
            String id, String tenantId, String clientId, String name, String secretHash, String scopes) {
        return RegisteredClient.withId(id)
                .clientId(clientId)
                .clientName(name)
                .clientSecret(secretHash)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(granted -> granted.addAll(Arrays.asList(scopes.split(" "))))
                .clientSettings(ClientSettings.builder()
                        .setting(TENANT_SETTING, tenantId)
                        .setting(CLIENT_ROW_SETTING, id)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(accessTokenTtl)
                        .build())
                .build();
    }
}
