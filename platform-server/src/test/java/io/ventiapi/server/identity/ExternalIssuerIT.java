package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.FakeOidcIssuer;
import io.ventiapi.server.support.GraphQlSubscription;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** A tenant's own identity provider: its tokens count for that tenant, and for no other. */
@VentiIntegrationTest
class ExternalIssuerIT {

    private static final String VIEWER = "{ viewer { id name kind roles tenant { id } } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    TenantService tenantService;

    Api api;
    FakeOidcIssuer idp;
    TestTenants.Fixture a;
    TestTenants.Fixture b;
    String adminOfA;

    @BeforeEach
    void setUp() throws Exception {
        api = new Api(port);
        idp = new FakeOidcIssuer();
        a = tenants.create("sso-a");
        b = tenants.create("sso-b");
        adminOfA = api.token(a.clientId(), a.clientSecret());
    }

    @AfterEach
    void tearDown() {
        idp.close();
    }

    private String trust(String token, String issuer, String jwkSetUri) {
        return trust(token, issuer, jwkSetUri, FakeOidcIssuer.AUDIENCE);
    }

    private String trust(String token, String issuer, String jwkSetUri, String audience) {
        var variables = new HashMap<String, Object>(Map.of("i", issuer));
        variables.put("j", jwkSetUri);
        variables.put("a", audience);
        var response = api.graphql(
                token,
                "mutation($i: String!, $j: String, $a: String!) { addTrustedIssuer(input: {issuerUri: $i,"
                        + " jwkSetUri: $j, audience: $a, defaultRole: VIEWER}) {"
                        + " trustedIssuer { id } errors { code message field } } }",
                variables);
        assertThat(response.data("addTrustedIssuer.errors").size())
                .as(response.body())
                .isZero();
        return response.data("addTrustedIssuer.trustedIssuer.id").asString();
    }

    @Test
    void aTokenFromTheTenantsIssuerActsInThatTenantWithTheRoleItNames() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var token = idp.token(
                "alice",
                Map.of(
                        "tenant",
                        a.id().value(),
                        "roles",
                        List.of("SECURITY_ENGINEER"),
                        "preferred_username",
                        "alice@corp"));

        var viewer = api.graphql(token, VIEWER);

        assertThat(viewer.status()).as(viewer.body()).isEqualTo(200);
        assertThat(viewer.data("viewer.tenant.id").asString()).isEqualTo(a.id().value());
        assertThat(viewer.data("viewer.kind").asString()).isEqualTo("USER");
        assertThat(viewer.data("viewer.name").asString()).isEqualTo("alice@corp");
        assertThat(viewer.data("viewer.roles").toString()).isEqualTo("[\"SECURITY_ENGINEER\"]");
    }

    @Test
    void anIdentityProviderUserNamedLikeAMemberIsToldApartInTheAuditLog() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var member = "admin@" + a.id().value() + ".test";
        var lookalike = idp.token(
                "u-4711",
                Map.of("tenant", a.id().value(), "roles", List.of("TENANT_ADMIN"), "preferred_username", member));

        var created = api.graphql(
                lookalike,
                "mutation { createApiClient(input: {name: \"lookalike\", scopes: [\"scans:read\"]}) {"
                        + " apiClient { id } } }");
        var id = created.data("createApiClient.apiClient.id").asString();

        var events = api.graphql(
                adminOfA,
                "{ auditEvents(filter: {action: \"apiClient.create\"}, first: 100) {"
                        + " edges { node { actor targetId } } } }");
        var actor = "";
        for (var edge : events.data("auditEvents.edges")) {
            if (edge.get("node").get("targetId").asString().equals(id)) {
                actor = edge.get("node").get("actor").asString();
            }
        }
        assertThat(actor).isEqualTo(member + " (ext:u-4711 via " + idp.issuer() + ")");
    }

    @Test
    void aTokenWithANulCharacterInItsIssuerOrIdentityIsRefusedNotAServerError() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var claims = Map.<String, Object>of("tenant", a.id().value(), "roles", List.of("TENANT_ADMIN"));

        // Read before any signature is checked, by anyone who can send a request.
        assertThat(api.graphql(idp.tokenAs(idp.issuer() + "\u0000", "eve", claims), VIEWER)
                        .status())
                .isEqualTo(401);
        // Signed by the tenant's provider, but written to the audit log with each change it makes.
        assertThat(api.graphql(idp.token("mal\u0000lory", claims), VIEWER).status())
                .isEqualTo(401);
    }

    @Test
    void everyRefusedExternalTokenGetsTheSameAnswerSoTenantsCannotBeMappedToProviders() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var claims = Map.<String, Object>of("roles", List.of("VIEWER"));
        var answers = new java.util.ArrayList<String>();
        for (var token : List.of(
                idp.tokenAs("https://nobody-registered.example", "eve", claims),
                idp.token("eve", Map.of("tenant", b.id().value(), "roles", List.of("VIEWER"))),
                idp.token("eve", Map.of("tenant", "no-such-tenant", "roles", List.of("VIEWER"))),
                idp.forgedToken("eve", Map.of("tenant", a.id().value(), "roles", List.of("VIEWER"))))) {
            var response = api.graphql(token, VIEWER);
            assertThat(response.status()).isEqualTo(401);
            answers.add(response.raw().headers().firstValue("WWW-Authenticate").orElse("") + response.body());
        }

        assertThat(answers).containsOnly(answers.getFirst());
    }

    @Test
    void aTokenThatNeverExpiresIsRefused() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var claims = Map.<String, Object>of("tenant", a.id().value(), "roles", List.of("VIEWER"));
        assertThat(api.graphql(idp.token("eve", claims), VIEWER).status()).isEqualTo(200);

        assertThat(api.graphql(idp.tokenWithoutExpiry("eve", claims), VIEWER).status())
                .isEqualTo(401);
    }

    @Test
    void aTokenFromTenantAsIssuerThatClaimsTenantBIsRefused() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());

        var token = idp.token("mallory", Map.of("tenant", b.id().value(), "roles", List.of("TENANT_ADMIN")));

        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(401);
    }

    @Test
    void withoutATenantClaimTheOnlyTenantThatTrustsTheIssuerIsUsedAndPlatformRolesAreNeverGranted() throws Exception {
        trust(adminOfA, idp.issuer(), null);

        var token = idp.token("bob", Map.of("roles", List.of("PLATFORM_ADMIN")));
        var viewer = api.graphql(token, VIEWER);

        assertThat(viewer.data("viewer.tenant.id").asString()).as(viewer.body()).isEqualTo(a.id().value());
        assertThat(viewer.data("viewer.roles").toString()).isEqualTo("[\"VIEWER\"]");
        var tenantsList = api.graphql(token, "{ tenants { edges { node { id } } } }");
        assertThat(tenantsList.body()).contains("FORBIDDEN").doesNotContain(b.id().value());
    }

    @Test
    void aTenantThatRegistersAnotherTenantsIssuerWithItsOwnKeysCannotSignForThem() throws Exception {
        // The attacker's tenant id sorts first: its registration is the first the platform finds.
        var attacker = tenants.create("sso-0");
        var victim = tenants.create("sso-z");
        trust(api.token(victim.clientId(), victim.clientSecret()), idp.issuer(), idp.jwkSetUri());
        try (var attackersKeys = new FakeOidcIssuer()) {
            trust(api.token(attacker.clientId(), attacker.clientSecret()), idp.issuer(), attackersKeys.jwkSetUri());

            var forged = attackersKeys.tokenAs(
                    idp.issuer(), "mallory", Map.of("tenant", victim.id().value(), "roles", List.of("TENANT_ADMIN")));
            var refused = api.graphql(forged, VIEWER);
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(victim.id().value());

            // Without a tenant claim, each token goes to the one tenant whose keys verify it.
            var unnamedForged =
                    attackersKeys.tokenAs(idp.issuer(), "mallory", Map.of("roles", List.of("TENANT_ADMIN")));
            assertThat(api.graphql(unnamedForged, VIEWER)
                            .data("viewer.tenant.id")
                            .asString())
                    .isEqualTo(attacker.id().value());
            var genuine = idp.token("vera", Map.of());
            var viewer = api.graphql(genuine, VIEWER);
            assertThat(viewer.data("viewer.tenant.id").asString())
                    .as(viewer.body())
                    .isEqualTo(victim.id().value());
            assertThat(viewer.data("viewer.roles").toString()).isEqualTo("[\"VIEWER\"]");
        }
    }

    @Test
    void tenantsSharingAnIssuerAndItsKeysAreToldApartByAudienceOrElseByTheTenantClaim() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri(), "app-of-a");
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), idp.jwkSetUri(), "app-of-b");

        var forB = idp.token("bea", Map.of("aud", "app-of-b"));
        assertThat(api.graphql(forB, VIEWER).data("viewer.tenant.id").asString())
                .isEqualTo(b.id().value());
        var forNeither = idp.token("nat", Map.of("aud", "app-of-c"));
        assertThat(api.graphql(forNeither, VIEWER).status()).isEqualTo(401);
        var claimingAWithBsAudience = idp.token("bea", Map.of("aud", "app-of-b", "tenant", a.id().value()));
        assertThat(api.graphql(claimingAWithBsAudience, VIEWER).status()).isEqualTo(401);
    }

    @Test
    void anotherTenantsUnreachableRegistrationOfTheSameIssuerDoesNotLockATenantOut() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        // B's key set is on a port nobody listens on.
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), "http://127.0.0.1:" + closed + "/jwks");

        assertASignsInAndBIsRefusedNotFailed();
    }

    @Test
    void anotherTenantsRegistrationThatCannotDiscoverItsKeysDoesNotLockATenantOut() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        // B relies on discovery, which this issuer stops serving.
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), null);
        idp.stopDiscovery();

        assertASignsInAndBIsRefusedNotFailed();
    }

    /** A's people, without a tenant claim, sign in to A; B's get a refusal, not a server error. */
    private void assertASignsInAndBIsRefusedNotFailed() throws Exception {
        var forA = api.graphql(idp.token("ada", Map.of()), VIEWER);
        assertThat(forA.status()).as(forA.body()).isEqualTo(200);
        assertThat(forA.data("viewer.tenant.id").asString()).isEqualTo(a.id().value());

        var forB = api.graphql(idp.token("bo", Map.of("tenant", b.id().value())), VIEWER);
        assertThat(forB.status()).as(forB.body()).isEqualTo(401);
    }

    @Test
    void aRegistrationNamingAnotherTenantsAudienceDoesNotCaptureItsPeople() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri(), "app-of-a");
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), idp.jwkSetUri(), "app-of-a");

        var forA = api.graphql(idp.token("ada", Map.of("aud", "app-of-a")), VIEWER);

        assertThat(forA.status()).as("ambiguous: refused, never given to B").isEqualTo(401);
        assertThat(forA.body()).doesNotContain(b.id().value());
    }

    @Test
    void tenantsSharingAnIssuerAndAudienceNeedTheTenantClaim() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), idp.jwkSetUri());

        assertThat(api.graphql(idp.token("ann", Map.of()), VIEWER).status()).isEqualTo(401);
        assertThat(api.graphql(idp.token("ann", Map.of("tenant", b.id().value())), VIEWER)
                        .data("viewer.tenant.id")
                        .asString())
                .isEqualTo(b.id().value());
    }

    @Test
    void aSuspendedTenantSharingTheIssuerAndAudienceStillMakesAnUnnamedTokenAmbiguous() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        trust(api.token(b.clientId(), b.clientSecret()), idp.issuer(), idp.jwkSetUri());
        SystemActor.call(TenantId.PLATFORM, () -> tenantService.suspend(b.id().value()));

        // Meant for B as much as for A: B's suspension does not make it A's.
        var unnamed = api.graphql(idp.token("bea", Map.of()), VIEWER);
        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(401);
        assertThat(unnamed.body()).doesNotContain(a.id().value());

        var forA = api.graphql(idp.token("ann", Map.of("tenant", a.id().value())), VIEWER);
        assertThat(forA.data("viewer.tenant.id").asString()).as(forA.body()).isEqualTo(a.id().value());
        var forB = api.graphql(idp.token("bea", Map.of("tenant", b.id().value())), VIEWER);
        assertThat(forB.status()).as(forB.body()).isEqualTo(403);
        assertThat(forB.body()).contains("tenant_suspended");
    }

    @Test
    void aTokenTheProviderIssuedToAnotherApplicationIsRefused() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());

        for (var audience : List.of("wiki-of-corp", List.of())) {
            var token = idp.token("ann", Map.of("tenant", a.id().value(), "aud", audience));
            assertThat(api.graphql(token, VIEWER).status())
                    .as(audience.toString())
                    .isEqualTo(401);
        }
        var forUs = idp.token("ann", Map.of("tenant", a.id().value(), "aud", List.of("wiki-of-corp", "ventiapi")));
        assertThat(api.graphql(forUs, VIEWER).status()).isEqualTo(200);
    }

    @Test
    void anIssuerMustBeTrustedWithAnAudienceAndOneTrustedWithoutAcceptsNothing() throws Exception {
        var blank = api.graphql(
                adminOfA,
                "mutation($i: String!) { addTrustedIssuer(input: {issuerUri: $i, audience: \" \"}) {"
                        + " trustedIssuer { id } errors { code field } } }",
                Map.of("i", idp.issuer()));
        assertThat(blank.data("addTrustedIssuer.errors").get(0).get("field").asString())
                .isEqualTo("audience");
        var missing = api.graphql(
                adminOfA,
                "mutation($i: String!) { addTrustedIssuer(input: {issuerUri: $i}) { trustedIssuer { id } } }",
                Map.of("i", idp.issuer()));
        assertThat(missing.body()).contains("audience").doesNotContain("trustedIssuer\":{");

        // One added before audiences were required.
        var id = trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("update trusted_issuers set audience = null where id = ?")) {
            statement.setObject(1, java.util.UUID.fromString(id));
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
        var token = idp.token("ann", Map.of("tenant", a.id().value()));
        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(401);
    }

    @Test
    void anIssuerServingItsKeysOverHttpFromAnotherMachineIsRefused() {
        var response = api.graphql(
                adminOfA,
                "mutation { addTrustedIssuer(input: {issuerUri: \"http://93.184.216.34/realms/x\","
                        + " audience: \"ventiapi\"}) { errors { code field message } } }");

        assertThat(response.data("addTrustedIssuer.errors")
                        .get(0)
                        .get("message")
                        .asString())
                .isEqualTo("an https URL is required");
    }

    @Test
    void forgedTokensWithUnknownKeyIdsDoNotMakeThePlatformFetchTheKeysEachTime() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        assertThat(api.graphql(idp.token("ann", Map.of("tenant", a.id().value())), VIEWER)
                        .status())
                .isEqualTo(200);

        for (int i = 0; i < 20; i++) {
            var forged = idp.tokenWithUnknownKey("eve", Map.of("tenant", a.id().value()));
            assertThat(api.graphql(forged, VIEWER).status()).isEqualTo(401);
        }

        // The first fetch and at most one early one, as long as this test takes under 30 s.
        assertThat(idp.keySetsServed()).isBetween(1, 2);
    }

    @Test
    void aRequestArrivingWhileTheIssuersKeySetIsStillDownloadingIsRefusedAtOnceNotQueuedBehindIt() throws Exception {
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var claims = Map.<String, Object>of("tenant", a.id().value());
        var slowServer = idp.holdKeySets();
        try (var background = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = background.submit(() -> api.graphql(idp.token("ann", claims), VIEWER));
            slowServer.awaitRequest();

            // Answered while the first request's download is still held: a request thread waiting
            // behind it would wait as long as the issuer's server likes.
            var second = api.graphql(idp.token("bob", claims), VIEWER);
            assertThat(second.status()).as(second.body()).isEqualTo(401);

            slowServer.release();
            var answered = first.get();
            assertThat(answered.status())
                    .as("the download finishes for its own request: " + answered.body())
                    .isEqualTo(200);
        }
        assertThat(api.graphql(idp.token("bob", claims), VIEWER).status()).isEqualTo(200);
        assertThat(idp.keySetsServed()).isEqualTo(1);
    }

    @Test
    void untrustedIssuersAndForgedSignaturesAreRefused() throws Exception {
        assertThat(api.graphql(idp.token("eve", Map.of("tenant", a.id().value())), VIEWER)
                        .status())
                .isEqualTo(401);

        trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var forged = idp.forgedToken("eve", Map.of("tenant", a.id().value()));

        assertThat(api.graphql(forged, VIEWER).status()).isEqualTo(401);
    }

    @Test
    void removingTheIssuerRefusesItsTokensAtOnce() throws Exception {
        var id = trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var token = idp.token("alice", Map.of("tenant", a.id().value()));
        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(200);

        var removed = api.graphql(
                adminOfA,
                "mutation { removeTrustedIssuer(input: {id: \"" + id + "\"}) { removedId errors { code } } }");

        assertThat(removed.data("removeTrustedIssuer.removedId").asString()).isEqualTo(id);
        assertThat(api.graphql(token, VIEWER).status()).isEqualTo(401);
    }

    @Test
    void trustingTheIssuerAgainAfterRemovingItFetchesItsKeysAfresh() throws Exception {
        var id = trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var claims = Map.<String, Object>of("tenant", a.id().value());
        var signedWithTheLeakedKey = idp.token("mallory", claims);
        assertThat(api.graphql(signedWithTheLeakedKey, VIEWER).status()).isEqualTo(200);

        // The key leaked: the tenant stops trusting the issuer until the provider has replaced it.
        api.graphql(adminOfA, "mutation { removeTrustedIssuer(input: {id: \"" + id + "\"}) { removedId } }");
        idp.rotateKey();
        trust(adminOfA, idp.issuer(), idp.jwkSetUri());

        assertThat(api.graphql(signedWithTheLeakedKey, VIEWER).status())
                .as("verified with the keys the provider publishes now, not those kept for the removed registration")
                .isEqualTo(401);
        assertThat(api.graphql(idp.token("alice", claims), VIEWER).status()).isEqualTo(200);
    }

    @Test
    void aTenantTrustsAtMostTwentyIssuers() {
        // The fixture's tenant trusts one issuer already.
        for (int i = 2; i <= 20; i++) {
            trust(adminOfA, "http://127.0.0.1:9/many/" + i, null);
        }
        var add = "mutation($i: String!) { addTrustedIssuer(input: {issuerUri: $i, audience: \"ventiapi\"}) {"
                + " trustedIssuer { id } errors { code message } } }";

        var refused = api.graphql(adminOfA, add, Map.of("i", "http://127.0.0.1:9/many/21"));

        assertThat(refused.data("addTrustedIssuer.errors").size())
                .as(refused.body())
                .isEqualTo(1);
        assertThat(refused.data("addTrustedIssuer.errors").get(0).get("code").asString())
                .as(refused.body())
                .isEqualTo("CONFLICT");
        assertThat(refused.data("addTrustedIssuer.errors").get(0).get("message").asString())
                .contains("at most 20");
        api.graphql(
                adminOfA,
                "mutation { removeTrustedIssuer(input: {id: \"" + a.trustedIssuerId() + "\"}) { removedId } }");
        assertThat(api.graphql(adminOfA, add, Map.of("i", "http://127.0.0.1:9/many/21"))
                        .data("addTrustedIssuer.errors")
                        .size())
                .isZero();
        // Another tenant's count is its own.
        trust(api.token(b.clientId(), b.clientSecret()), "http://127.0.0.1:9/many/22", null);
    }

    @Test
    void removingTheIssuerAlsoRefusesNewSubscriptionsOnASocketItsTokenOpened() throws Exception {
        var id = trust(adminOfA, idp.issuer(), idp.jwkSetUri());
        var scanId =
                new TestProjects(context).seed(a.id(), "Watched", 0).scanId().toString();
        var token = idp.token("alice", Map.of("tenant", a.id().value()));
        var watch = "subscription($id: ID!) { scanProgress(scanId: $id) { status } }";

        try (var socket = GraphQlSubscription.open(api.base(), token, watch, Map.of("id", scanId))) {
            assertThat(socket.nextMessage(Duration.ofSeconds(30)).path("type").asString())
                    .isEqualTo("next");
            api.graphql(adminOfA, "mutation { removeTrustedIssuer(input: {id: \"" + id + "\"}) { removedId } }");
            socket.subscribe("2", watch, Map.of("id", scanId));

            var message = socket.nextMessage(Duration.ofSeconds(30));
            while (!message.path("id").asString().equals("2")) {
                message = socket.nextMessage(Duration.ofSeconds(30));
            }
            assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("error");
            assertThat(message.toString()).contains("the tenant no longer trusts the token's issuer");
        }
    }

    @Test
    void issuersOnInternalAddressesAreRefused() {
        for (var url : List.of("http://169.254.169.254/latest", "http://10.0.0.1/realms/x", "ftp://idp.example/x")) {
            var response = api.graphql(
                    adminOfA,
                    "mutation($i: String!) { addTrustedIssuer(input: {issuerUri: $i, audience: \"ventiapi\"}) {"
                            + " errors { code field message } } }",
                    Map.of("i", url));
            assertThat(response.data("addTrustedIssuer.errors")
                            .get(0)
                            .get("code")
                            .asString())
                    .as(url)
                    .isEqualTo("INVALID_INPUT");
        }
    }
}
