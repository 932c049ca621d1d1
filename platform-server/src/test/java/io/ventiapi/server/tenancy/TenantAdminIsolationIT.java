package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Tenant B's admin token aimed at tenant A's objects, through every id-taking operation of the
 * API: each answers as if the object did not exist, and A's data is unchanged. The operations are
 * read from the schema by introspection, so a new id-taking field without a case here fails.
 */
@VentiIntegrationTest
class TenantAdminIsolationIT {

    /** Operations whose input names an existing object by id, and how B's attempt on A's object reads. */
    private static final Map<String, Function<TestTenants.Fixture, String>> CASES = new LinkedHashMap<>();

    /** Operator operations: a tenant admin is refused before anything is looked up. */
    private static final Set<String> PLATFORM_ONLY = Set.of("suspendTenant", "reactivateTenant", "retireSigningKey");

    /** Operations whose `id` names something new, not an existing object. */
    private static final Set<String> CREATES = Set.of("createTenant");

    static {
        CASES.put(
                "setMemberRole",
                a -> "mutation { setMemberRole(input: {id: \"" + a.viewerMemberId()
                        + "\", role: TENANT_ADMIN}) { member { id } errors { code } } }");
        CASES.put(
                "removeMember",
                a -> "mutation { removeMember(input: {id: \"" + a.viewerMemberId()
                        + "\"}) { removedId errors { code } } }");
        CASES.put(
                "revokeApiClient",
                a -> "mutation { revokeApiClient(input: {id: \"" + a.apiClientId()
                        + "\"}) { apiClient { id } errors { code } } }");
        CASES.put(
                "removeTrustedIssuer",
                a -> "mutation { removeTrustedIssuer(input: {id: \"" + a.trustedIssuerId()
                        + "\"}) { removedId errors { code } } }");
        CASES.put(
                "retireSigningKey",
                a ->
                        "mutation { retireSigningKey(input: {id: \"00000000-0000-0000-0000-000000000000\"}) { retiredId } }");
        CASES.put(
                "suspendTenant",
                a -> "mutation { suspendTenant(input: {id: \"" + a.id() + "\"}) { tenant { id } errors { code } } }");
        CASES.put(
                "reactivateTenant",
                a -> "mutation { reactivateTenant(input: {id: \"" + a.id()
                        + "\"}) { tenant { id } errors { code } } }");
    }

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    Api api;
    TestTenants.Fixture a;
    TestTenants.Fixture b;
    String tokenOfB;
    String tokenOfA;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        a = tenants.create("iso-a");
        b = tenants.create("iso-b");
        tokenOfA = api.token(a.clientId(), a.clientSecret());
        tokenOfB = api.token(b.clientId(), b.clientSecret());
    }

    @Test
    void everyIdTakingOperationHasACase() {
        var idTaking = new TreeSet<String>();
        // One root type per request: graphql-java refuses introspection that lists fields twice.
        for (var root : new String[] {"queryType", "mutationType"}) {
            var fields = api.graphql(
                            tokenOfB,
                            "{ __schema { " + root + " { fields { name args { name type { ...T } } } } } }\n"
                                    + "fragment T on __Type { name kind ofType { name kind ofType { name kind } } }")
                    .data("__schema." + root + ".fields");
            for (var field : fields) {
                for (var arg : field.get("args")) {
                    if (arg.get("name").asString().equals("id") || takesId(typeName(arg.get("type")))) {
                        idTaking.add(field.get("name").asString());
                    }
                }
            }
        }
        idTaking.removeAll(CREATES);

        assertThat(idTaking).isEqualTo(new TreeSet<>(CASES.keySet()));
    }

    @Test
    void tenantBsAdminTokenOnTenantAsObjectsFindsNothingAndChangesNothing() {
        var before = snapshotOfA();

        for (var entry : CASES.entrySet()) {
            var response = api.graphql(tokenOfB, entry.getValue().apply(a));
            var body = response.body();
            assertThat(response.status()).as(entry.getKey()).isEqualTo(200);
            if (PLATFORM_ONLY.contains(entry.getKey())) {
                // Platform-admin operations: a tenant admin is not even allowed to ask.
                assertThat(response.json()
                                .get("errors")
                                .get(0)
                                .get("extensions")
                                .get("code")
                                .asString())
                        .as(entry.getKey())
                        .isEqualTo("FORBIDDEN");
            } else {
                var payload = response.data(entry.getKey());
                assertThat(payload.get("errors").get(0).get("code").asString())
                        .as(entry.getKey() + ": " + body)
                        .isEqualTo("NOT_FOUND");
            }
            assertThat(body).doesNotContain(a.id().value() + "\"", a.clientId());
        }

        assertThat(snapshotOfA()).isEqualTo(before);
    }

    @Test
    void tenantBsListsShowNothingOfTenantA() {
        var lists = api.graphql(
                        tokenOfB,
                        "{ members { edges { node { id username } } } apiClients { edges { node { id clientId } } }"
                                + " trustedIssuers { edges { node { id issuerUri } } } }")
                .body();

        assertThat(lists)
                .contains(b.viewerMemberId().toString(), b.clientId())
                .doesNotContain(
                        a.viewerMemberId().toString(),
                        a.adminMemberId().toString(),
                        a.clientId(),
                        a.trustedIssuerId().toString(),
                        a.id().value());
    }

    private String snapshotOfA() {
        return api.graphql(
                        tokenOfA,
                        "{ viewer { tenant { status } } members { edges { node { id username role } } }"
                                + " apiClients { edges { node { id revokedAt } } }"
                                + " trustedIssuers { edges { node { id issuerUri } } } }")
                .body();
    }

    private boolean takesId(String inputType) {
        if (inputType == null) {
            return false;
        }
        var type = api.graphql(
                        tokenOfB,
                        "query($n: String!) { __type(name: $n) { inputFields { name } } }",
                        Map.of("n", inputType))
                .data("__type");
        if (type == null
                || type.get("inputFields") == null
                || type.get("inputFields").isNull()) {
            return false;
        }
        for (var field : type.get("inputFields")) {
            if (field.get("name").asString().equals("id")) {
                return true;
            }
        }
        return false;
    }

    private static String typeName(JsonNode type) {
        while (type != null && !type.isNull()) {
            if (type.get("name") != null && !type.get("name").isNull()) {
                return type.get("name").asString();
            }
            type = type.get("ofType");
        }
        return null;
    }
}
