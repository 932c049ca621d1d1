package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.FakeOidcIssuer;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A tenant's own identity provider: its tokens count for that tenant, and for no other. */
@VentiIntegrationTest
class ExternalIssuerIT {

    private static final String VIEWER = "{ viewer { id name kind roles tenant { id } } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

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
        var response = api.graphql(
                token,
                "mutation($i: String!, $j: String) { addTrustedIssuer(input: {issuerUri: $i, jwkSetUri: $j,"
                        + " defaultRole: VIEWER}) { trustedIssuer { id } errors { code message field } } }",
                jwkSetUri == null ? Map.of("i", issuer) : Map.of("i", issuer, "j", jwkSetUri));
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
    void issuersOnInternalAddressesAreRefused() {
        for (var url : List.of("http://169.254.169.254/latest", "http://10.0.0.1/realms/x", "ftp://idp.example/x")) {
            var response = api.graphql(
                    adminOfA,
                    "mutation($i: String!) { addTrustedIssuer(input: {issuerUri: $i}) { errors { code field message } } }",
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
