package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.security.internal.SigningKeyStore;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalServicesInitializer;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** API clients get tokens at /oauth2/token and are who the API says they are, until revoked. */
@VentiIntegrationTest
class ApiTokenIT {

    private static final String VIEWER = "{ viewer { id name kind tenant { id status } roles scopes issuer } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    TenantService tenantService;

    @Autowired
    ApiClientService clients;

    @Autowired
    SigningKeyStore keys;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture acme;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("acme");
    }

    @Test
    void aClientCredentialsTokenIdentifiesTheClientAndItsTenant() {
        var token = api.token(acme.clientId(), acme.clientSecret());

        var response = api.graphql(token, VIEWER);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data("viewer.name").asString()).isEqualTo(acme.clientId());
        assertThat(response.data("viewer.kind").asString()).isEqualTo("API_CLIENT");
        assertThat(response.data("viewer.tenant.id").asString())
                .isEqualTo(acme.id().value());
        assertThat(response.data("viewer.scopes").toString()).contains("tenant:admin", "projects:read");
        assertThat(response.data("viewer.issuer").asString()).isEqualTo(LocalServicesInitializer.ISSUER);
    }

    @Test
    void aTokenCarriesOnlyTheScopesAskedFor() {
        var response = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=projects:read" + "&client_id=" + acme.clientId()
                                + "&client_secret=" + acme.clientSecret())));
        var token = response.json().get("access_token").asString();

        assertThat(api.graphql(token, VIEWER).data("viewer.scopes").toString()).isEqualTo("[\"projects:read\"]");
    }

    @Test
    void aPlatformClientHoldingOnlyTenantAdminMakesNoPlatformAdmins() {
        var limited = SystemActor.call(
                TenantId.PLATFORM,
                () -> context.getBean(ApiClientService.class).create("limited", java.util.List.of("tenant:admin")));
        var token = api.token(limited.client().getClientId(), limited.clientSecret());

        var client = api.graphql(
                token,
                "mutation { createApiClient(input: {name: \"escalate\", scopes: [\"platform:admin\"]})"
                        + " { clientSecret errors { code } } }");
        var member = api.graphql(
                token,
                "mutation { inviteMember(input: {username: \"escalate-"
                        + acme.id().value() + "\", role: PLATFORM_ADMIN}) { initialPassword errors { code } } }");

        assertThat(client.body()).as(client.body()).contains("FORBIDDEN").doesNotContain("vs_");
        assertThat(member.body()).as(member.body()).contains("FORBIDDEN");
        assertThat(member.body()).doesNotContain("\"initialPassword\":\"");
        var platformClient = SystemActor.call(
                TenantId.PLATFORM,
                () -> context.getBean(ApiClientService.class).create("operator", java.util.List.of("platform:admin")));
        var revoke = api.graphql(
                token,
                "mutation($id: ID!) { revokeApiClient(input: {id: $id}) { errors { code } } }",
                java.util.Map.of("id", platformClient.client().getId().toString()));
        assertThat(revoke.body()).as(revoke.body()).contains("FORBIDDEN");
    }

    @Test
    void withoutAValidTokenTheApiAnswers401() {
        assertThat(api.graphql(null, VIEWER).status()).isEqualTo(401);
        assertThat(api.graphql("not-a-token", VIEWER).status()).isEqualTo(401);
        var forged = api.token(acme.clientId(), acme.clientSecret());
        var parts = forged.split("\\.");
        assertThat(api.graphql(parts[0] + "." + parts[1] + ".c2lnbmF0dXJl", VIEWER)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aWrongSecretGetsNoToken() {
        assertThat(api.tokenResponse(acme.clientId(), "vs_wrong").status()).isEqualTo(401);
        assertThat(api.tokenResponse("nobody", "vs_wrong").status()).isEqualTo(401);
    }

    @Test
    void aKeyRotationRolledBackNeverSignsAndACommittedOneDoes() {
        var before = keys.currentKeyId();

        tx.executeWithoutResult(status -> {
            keys.rotate();
            assertThat(keys.currentKeyId()).as("not before it commits").isEqualTo(before);
            status.setRollbackOnly();
        });
        assertThat(keys.currentKeyId()).as("rolled back").isEqualTo(before);

        // As rotateSigningKey does: the service answers with the new key, which signs from the commit.
        var rotated = SystemActor.call(
                TenantId.PLATFORM,
                () -> context.getBean(SigningKeyService.class).rotate());
        assertThat(rotated.current()).isTrue();
        assertThat(keys.currentKeyId()).isEqualTo(rotated.id());
        assertThat(keys.published().getFirst().createdAt()).isEqualTo(rotated.createdAt());
        var now = Instant.now();
        assertThat(api.graphql(sign(acme.id().value(), now, now.plusSeconds(600)), VIEWER)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theFirstSigningKeyIsCreatedOnceAndAudited() throws Exception {
        var service = context.getBean(SigningKeyService.class);
        SystemActor.run(TenantId.PLATFORM, service::createFirstIfNone);

        try (var owner = io.ventiapi.server.support.LocalDatabase.asOwner();
                var statement = owner.prepareStatement("""
                        select e.target_id, exists (select 1 from signing_keys k where k.kid = e.target_id)
                        from audit_events e where e.tenant_id = 'platform' and e.action = 'signingKey.create'""")) {
            var rows = statement.executeQuery();
            assertThat(rows.next())
                    .as("the first key's creation is in the platform's audit log")
                    .isTrue();
            assertThat(rows.getBoolean(2)).as("it names the key").isTrue();
            assertThat(rows.next())
                    .as("one key created on the first start, none since")
                    .isFalse();
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        var now = Instant.now();

        var expired = sign(acme.id().value(), now.minusSeconds(7200), now.minusSeconds(3600));

        var refused = api.graphql(expired, VIEWER);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.firstErrorCode()).as(refused.body()).isEqualTo("UNAUTHENTICATED");
        assertThat(refused.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(header -> assertThat(header).contains("invalid_token"));
    }

    @Test
    void aRequestWithoutATokenIsToldToSendOne() {
        var refused = api.graphql(null, VIEWER);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.firstErrorCode()).as(refused.body()).isEqualTo("UNAUTHENTICATED");
        assertThat(refused.json().path("errors").path(0).path("message").asString())
                .contains("Authorization");
        assertThat(refused.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(header -> assertThat(header).startsWith("Bearer"));
    }

    @Test
    void aValidlySignedTokenForATenantThatDoesNotExistIsRefused() {
        var now = Instant.now();

        var ghost = api.graphql(sign("ghost-tenant", now, now.plusSeconds(600)), VIEWER);

        assertThat(ghost.status()).isEqualTo(401);
        assertThat(ghost.firstErrorCode()).as(ghost.body()).isEqualTo("UNAUTHENTICATED");
        assertThat(ghost.json()
                        .path("errors")
                        .path(0)
                        .path("extensions")
                        .path("reason")
                        .asString())
                .isEqualTo("unknown_tenant");
        assertThat(ghost.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(header -> assertThat(header).contains("invalid_token"));
    }

    /** A token signed with the platform's own current key, as if the authorization server had issued it. */
    private String sign(String tenant, Instant issuedAt, Instant expiresAt) {
        var kid = keys.currentKeyId();
        return new NimbusJwtEncoder(keys)
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).keyId(kid).build(),
                        JwtClaimsSet.builder()
                                .issuer(LocalServicesInitializer.ISSUER)
                                .subject(acme.clientId())
                                .issuedAt(issuedAt)
                                .expiresAt(expiresAt)
                                .claim("tenant", tenant)
                                .claim("actor_type", "API_CLIENT")
                                .claim("scope", List.of("tenant:admin"))
                                .build()))
                .getTokenValue();
    }

    @Test
    void aRevokedClientGetsNoNewTokenAndItsLiveTokenIsRefused() {
        var token = api.token(acme.clientId(), acme.clientSecret());
        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(200);

        SystemActor.call(acme.id(), () -> clients.revoke(acme.apiClientId()));

        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(401);
        assertThat(api.tokenResponse(acme.clientId(), acme.clientSecret()).status())
                .isEqualTo(401);
    }

    @Test
    void theRevocationEndpointSaysAnApiClientsTokenIsNotRevokedThereAndIntrospectionDoesNotCallItInactive() {
        var token = api.token(acme.clientId(), acme.clientSecret());

        var revocation = asClient("/oauth2/revoke", "token=" + token);
        var introspection = asClient("/oauth2/introspect", "token=" + token);

        assertThat(revocation.status()).as(revocation.body()).isEqualTo(400);
        assertThat(revocation.json().get("error").asString()).isEqualTo("unsupported_token_type");
        assertThat(revocation.json().get("error_description").asString()).contains("revokeApiClient");
        assertThat(introspection.status()).as(introspection.body()).isEqualTo(400);
        assertThat(introspection.json().get("error").asString()).isEqualTo("unsupported_token_type");
        assertThat(introspection.body()).doesNotContain("\"active\"");
        assertThat(api.graphql(token, VIEWER).status())
                .as("the token works on, as the answer said")
                .isEqualTo(200);
        // A token that is none of the platform's is answered as RFC 7009 says: nothing to revoke.
        assertThat(asClient("/oauth2/revoke", "token=not-a-token").status()).isEqualTo(200);
        // Nor does another client learn from the answer whether someone else's token still works.
        var other = tenants.create("acme-other");
        var answer = asClient(other, "/oauth2/revoke", "token=" + token);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("unsupported_token_type");
    }

    private Api.Response asClient(String path, String form) {
        return asClient(acme, path, form);
    }

    private Api.Response asClient(TestTenants.Fixture client, String path, String form) {
        var basic = Base64.getEncoder()
                .encodeToString((client.clientId() + ":" + client.clientSecret()).getBytes(StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    @Test
    void aSuspendedTenantsTokensAreRefusedUntilItIsReactivated() {
        var token = api.token(acme.clientId(), acme.clientSecret());

        SystemActor.call(
                TenantId.PLATFORM, () -> tenantService.suspend(acme.id().value()));
        var whileSuspended = api.graphql(token, VIEWER);
        var newToken = api.tokenResponse(acme.clientId(), acme.clientSecret());
        SystemActor.call(
                TenantId.PLATFORM, () -> tenantService.reactivate(acme.id().value()));

        assertThat(whileSuspended.status()).isEqualTo(403);
        assertThat(whileSuspended.firstErrorCode()).as(whileSuspended.body()).isEqualTo("FORBIDDEN");
        assertThat(whileSuspended.json().path("errors").path(0).path("message").asString())
                .isEqualTo("this tenant is suspended");
        assertThat(whileSuspended.body()).contains("tenant_suspended");
        assertThat(newToken.status()).isEqualTo(401);
        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(200);
    }

    @Test
    void secretsAreStoredOnlyAsHashes() throws Exception {
        try (var owner = io.ventiapi.server.support.LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select secret_hash from api_clients where client_id = ?")) {
            statement.setString(1, acme.clientId());
            var rows = statement.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("{sha256}").doesNotContain(acme.clientSecret());
        }
    }
}
