package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.GraphQlSubscription;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Tenant B's admin token aimed at tenant A's objects, through every id-taking operation of the
 * API: each answers as if the object did not exist, and A's data is unchanged. The operations are
 * read from the schema by introspection, so a new id-taking field without a case here fails.
 */
@VentiIntegrationTest
class TenantAdminIsolationIT {

    /** Operations whose input names an existing object by id, and how B's attempt on A's object reads. */
    private static final Map<String, Function<Target, String>> CASES = new LinkedHashMap<>();

    /** Operator operations: a tenant admin is refused before anything is looked up. */
    private static final Set<String> PLATFORM_ONLY = Set.of(
            "suspendTenant", "reactivateTenant", "addTenantAdmin", "resetTenantAdminPassword", "retireSigningKey");

    /** Operations whose `id` names something new, not an existing object. */
    private static final Set<String> CREATES = Set.of("createTenant");

    /** Queries: another tenant's object reads as absent (null), another tenant's filter matches nothing. */
    private static final Set<String> QUERIES = Set.of("project", "scan", "finding", "findings");

    static {
        CASES.put(
                "setMemberRole",
                a -> "mutation { setMemberRole(input: {id: \"" + a.tenant().viewerMemberId()
                        + "\", role: TENANT_ADMIN}) { member { id } errors { code } } }");
        CASES.put(
                "removeMember",
                a -> "mutation { removeMember(input: {id: \"" + a.tenant().viewerMemberId()
                        + "\"}) { removedId errors { code } } }");
        CASES.put(
                "resetMemberPassword",
                a -> "mutation { resetMemberPassword(input: {id: \""
                        + a.tenant().viewerMemberId() + "\"}) { member { id } oneTimePassword errors { code } } }");
        CASES.put(
                "revokeApiClient",
                a -> "mutation { revokeApiClient(input: {id: \"" + a.tenant().apiClientId()
                        + "\"}) { apiClient { id } errors { code } } }");
        CASES.put(
                "removeTrustedIssuer",
                a -> "mutation { removeTrustedIssuer(input: {id: \""
                        + a.tenant().trustedIssuerId() + "\"}) { removedId errors { code } } }");
        CASES.put(
                "retireSigningKey",
                a ->
                        "mutation { retireSigningKey(input: {id: \"00000000-0000-0000-0000-000000000000\"}) { retiredId } }");
        CASES.put(
                "suspendTenant",
                a -> "mutation { suspendTenant(input: {id: \"" + a.tenant().id()
                        + "\"}) { tenant { id } errors { code } } }");
        CASES.put(
                "reactivateTenant",
                a -> "mutation { reactivateTenant(input: {id: \"" + a.tenant().id()
                        + "\"}) { tenant { id } errors { code } } }");
        CASES.put(
                "addTenantAdmin",
                a -> "mutation { addTenantAdmin(input: {tenantId: \""
                        + a.tenant().id() + "\", username: \"taken-over\"}) { admin { id } errors { code } } }");
        CASES.put(
                "resetTenantAdminPassword",
                a -> "mutation { resetTenantAdminPassword(input: {tenantId: \""
                        + a.tenant().id()
                        + "\", username: \"" + a.tenant().adminUsername()
                        + "\"}) { admin { id } oneTimePassword errors { code } } }");
        CASES.put("project", a -> "{ project(id: \"" + a.project().projectId() + "\") { id name } }");
        CASES.put("scan", a -> "{ scan(id: \"" + a.project().scanId() + "\") { id status } }");
        CASES.put("finding", a -> "{ finding(id: \"" + a.project().findingIds().getFirst() + "\") { id title } }");
        CASES.put(
                "findings",
                a -> "{ findings(filter: {projectId: \"" + a.project().projectId()
                        + "\"}) { edges { node { id title } } } }");
        CASES.put(
                "updateProject",
                a -> "mutation { updateProject(input: {id: \"" + a.project().projectId()
                        + "\", name: \"taken over\", identities: []}) { project { id } errors { code } } }");
        CASES.put(
                "archiveProject",
                a -> "mutation { archiveProject(input: {id: \"" + a.project().projectId()
                        + "\"}) { project { id } errors { code } } }");
        CASES.put(
                "uploadSpec",
                a -> "mutation { uploadSpec(input: {projectId: \"" + a.project().projectId()
                        + "\", content: \"openapi: 3.0.0\"}) { specVersion { id } errors { code } } }");
        CASES.put(
                "importSpecFromUrl",
                a -> "mutation { importSpecFromUrl(input: {projectId: \""
                        + a.project().projectId()
                        + "\", url: \"http://127.0.0.1:9/openapi.yaml\"}) { specVersion { id } errors { code } } }");
        CASES.put(
                "startScan",
                a -> "mutation { startScan(input: {projectId: \"" + a.project().projectId()
                        + "\"}) { scan { id } errors { code } } }");
        CASES.put(
                "cancelScan",
                a -> "mutation { cancelScan(input: {id: \"" + a.project().scanId()
                        + "\"}) { scan { id } errors { code } } }");
        CASES.put(
                "triageFinding",
                a -> "mutation { triageFinding(input: {id: \""
                        + a.project().findingIds().getFirst()
                        + "\", status: FALSE_POSITIVE, reason: \"not ours\"}) { finding { id } errors { code } } }");
    }

    /** Tenant A's objects the cases aim at. */
    /** Subscriptions take ids too; they run over WebSocket, so they have their own cases. */
    private static final Map<String, Function<Target, String>> SUBSCRIPTION_CASES = Map.of(
            "scanProgress",
            a -> "subscription { scanProgress(scanId: \"" + a.project().scanId() + "\") { scanId status progress } }");

    record Target(TestTenants.Fixture tenant, TestProjects.Seeded project) {}

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture a;
    TestTenants.Fixture b;
    String tokenOfB;
    String tokenOfA;
    Target targetOfA;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        a = tenants.create("iso-a");
        b = tenants.create("iso-b");
        var projects = new TestProjects(context);
        targetOfA = new Target(a, projects.seed(a.id(), "Crown jewels", 3));
        projects.seed(b.id(), "B's own", 1);
        // Full-access clients: B must be refused for not finding A's objects, not for lacking a scope.
        var clientOfA = projects.fullAccessClient(a.id());
        var clientOfB = projects.fullAccessClient(b.id());
        tokenOfA = api.token(clientOfA.getKey(), clientOfA.getValue());
        tokenOfB = api.token(clientOfB.getKey(), clientOfB.getValue());
    }

    @Test
    void everyIdTakingOperationHasACase() {
        var idTaking = new TreeSet<String>();
        // One root type per request: graphql-java refuses introspection that lists fields twice.
        for (var root : new String[] {"queryType", "mutationType", "subscriptionType"}) {
            var fields = api.graphql(
                            tokenOfB,
                            "{ __schema { " + root + " { fields { name args { name type { ...T } } } } } }\n"
                                    + "fragment T on __Type { name kind ofType { name kind ofType { name kind } } }")
                    .data("__schema." + root + ".fields");
            for (var field : fields) {
                for (var arg : field.get("args")) {
                    if (namesObject(arg.get("name").asString()) || takesId(typeName(arg.get("type")))) {
                        idTaking.add(field.get("name").asString());
                    }
                }
            }
        }
        idTaking.removeAll(CREATES);

        var cases = new TreeSet<>(CASES.keySet());
        cases.addAll(SUBSCRIPTION_CASES.keySet());
        assertThat(idTaking).isEqualTo(cases);
    }

    @Test
    void tenantBsTokenCannotFollowTenantAsObjectsOverSubscriptions() {
        for (var entry : SUBSCRIPTION_CASES.entrySet()) {
            try (var subscription = GraphQlSubscription.open(
                    api.base(), tokenOfB, entry.getValue().apply(targetOfA), Map.of())) {
                var message = subscription.nextMessage(Duration.ofSeconds(10));
                assertThat(message.path("type").asString()).as(entry.getKey()).isEqualTo("error");
                assertThat(message.at("/payload/0/extensions/code").asString())
                        .as(entry.getKey() + ": " + message)
                        .isEqualTo("NOT_FOUND");
                assertThat(message.toString()).doesNotContain(a.id().value() + "\"");
            }
        }
    }

    @Test
    void tenantBsAdminTokenOnTenantAsObjectsFindsNothingAndChangesNothing() {
        var before = snapshotOfA();

        for (var entry : CASES.entrySet()) {
            var response = api.graphql(tokenOfB, entry.getValue().apply(targetOfA));
            var body = response.body();
            assertThat(response.status()).as(entry.getKey()).isEqualTo(200);
            if (PLATFORM_ONLY.contains(entry.getKey())) {
                // Platform-admin operations: a tenant admin is not even allowed to ask.
                assertThat(response.firstErrorCode()).as(entry.getKey()).isEqualTo("FORBIDDEN");
            } else if (QUERIES.contains(entry.getKey())) {
                assertThat(response.json().has("errors"))
                        .as(entry.getKey() + ": " + body)
                        .isFalse();
                var result = response.data(entry.getKey());
                assertThat(result.isNull() || result.get("edges").isEmpty())
                        .as(entry.getKey() + ": " + body)
                        .isTrue();
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
                                + " trustedIssuers { edges { node { id issuerUri } } }"
                                + " projects(includeArchived: true) { edges { node { id name } } }"
                                + " findings(first: 100) { edges { node { id title } } } }")
                .body();

        assertThat(lists)
                .contains(b.viewerMemberId().toString(), b.clientId(), "B's own")
                .doesNotContain(
                        a.viewerMemberId().toString(),
                        a.adminMemberId().toString(),
                        a.clientId(),
                        a.trustedIssuerId().toString(),
                        a.id().value(),
                        targetOfA.project().projectId().toString(),
                        "Crown jewels",
                        targetOfA.project().findingIds().getFirst().toString());
    }

    private String snapshotOfA() {
        return api.graphql(
                        tokenOfA,
                        "{ viewer { tenant { status } } members { edges { node { id username role oneTimePasswordExpiresAt } } }"
                                + " apiClients { edges { node { id revokedAt } } }"
                                + " trustedIssuers { edges { node { id issuerUri } } }"
                                + " projects(includeArchived: true) { edges { node { id name archivedAt updatedAt"
                                + " identities { name maskedSecret updatedAt } latestSpec { id version }"
                                + " scans { edges { node { id status finishedAt } } } } } }"
                                + " findings(first: 100) { edges { node { id status triage { reason } } } } }")
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
            if (namesObject(field.get("name").asString())) {
                return true;
            }
        }
        return false;
    }

    /** An argument or input field naming an object: {@code id}, {@code projectId}, {@code scanId}… */
    private static boolean namesObject(String name) {
        return name.equals("id") || name.endsWith("Id");
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
