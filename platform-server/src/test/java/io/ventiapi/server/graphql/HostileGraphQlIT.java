package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Hostile or broken requests get a 4xx with a plain explanation, never a stack trace or SQL. */
@VentiIntegrationTest
class HostileGraphQlIT {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TenantId acme;
    String token;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        var hostile = tenants.create("hostile");
        acme = hostile.id();
        token = api.token(hostile.clientId(), hostile.clientSecret());
    }

    @Test
    void malformedGraphQlIs400() {
        assertRefusedCleanly(api.graphql(token, "{ viewer { name "), 400);
        assertRefusedCleanly(api.graphql(token, "mutation { nope }"), 400);
        assertRefusedCleanly(api.post("/graphql", token, "{not json"), 400);
    }

    @Test
    void aQueryNested50LevelsDeepIs400() {
        // Introspection types nest without end, so depth is limited by the server, not by the schema.
        var query = "{ __schema { types { " + "fields { type { ".repeat(25) + "name" + " } }".repeat(25) + " } } }";

        var response = api.graphql(token, query);

        assertRefusedCleanly(response, 400);
        assertThat(response.body()).containsIgnoringCase("depth");
    }

    @Test
    void aOneMegabyteQueryIs4xx() {
        var query = "{ viewer { name } }" + " ".repeat(1024 * 1024);

        assertRefusedCleanly(api.graphql(token, query), 400);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        var hugeVariable = "x".repeat(17 * 1024 * 1024);

        assertRefusedCleanly(api.graphql(token, "{ viewer { name } }", Map.of("v", hugeVariable)), 413);
    }

    @Test
    void aBodyCutOffAtTheLimitIs413() {
        // No declared length: the body is counted as it is read, and refused once over.
        var body = "{\"query\":\"{ viewer { name } }\",\"variables\":{\"v\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}}";
        var chunked = HttpRequest.newBuilder(URI.create(api.base() + "/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));

        var response = api.send(chunked);

        assertRefusedCleanly(response, 413);
        assertThat(response.firstErrorCode()).isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void aFloodOfSmallJsonValuesIsRefusedAndOneLargeStringIsNot() {
        // Each empty object is three bytes on the wire and a map on the heap once read: a body of
        // them weighs some twenty times its size before any limit of the GraphQL layer applies.
        var flood = "{\"query\":\"{ viewer { id } }\",\"variables\":{\"x\":[" + "{},".repeat(100_000) + "{}]}}";
        var deep = "{\"query\":\"{ viewer { id } }\",\"variables\":{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}}";
        for (var body : List.of(flood, deep)) {
            var response = api.post("/graphql", token, body);

            assertRefusedCleanly(response, 413);
            assertThat(response.firstErrorCode()).isEqualTo("REQUEST_TOO_LARGE");
            assertThat(response.body()).contains("50000 JSON tokens", "64 levels");
        }
        // A spec upload is one long string: it still fits.
        var oneString = api.graphql(token, "{ viewer { id } }", Map.of("spec", "x".repeat(10 * 1024 * 1024)));
        assertThat(oneString.status()).as(oneString.body()).isEqualTo(200);
    }

    @Test
    void anExpensiveQueryIsRefusedByComplexity() {
        var fields = "name kind roles scopes issuer id tenant { id name plan status createdAt } ";
        var wide = "{ " + ("v%d: viewer { " + fields + "} ").repeat(500).formatted(seq(500)) + "}";
        assertRefusedCleanly(api.graphql(token, wide), 400);

        // Few fields, but a hundred pages of a hundred: counted by the items they may return.
        var nested = "{ projects(first: 100) { edges { node { specVersions(first: 100) { edges { node {"
                + " operations { edges { node { method path operationId } } } } } } } } } }";
        var refused = api.graphql(token, nested);
        assertRefusedCleanly(refused, 400);
        assertThat(refused.body()).contains("MAX_COMPLEXITY");

        // A version's operations are pages too: a hundred projects' largest documents are not one answer.
        var everyOperation = "{ projects(first: 100) { edges { node { latestSpec {"
                + " operations(first: 100) { edges { node { method path operationId } } } } } } } }";
        var tooMany = api.graphql(token, everyOperation);
        assertRefusedCleanly(tooMany, 400);
        assertThat(tooMany.body()).contains("MAX_COMPLEXITY");

        var page = "{ findings(first: 100) { edges { cursor node { id title severity status ruleId method path"
                + " lastSeenAt project { id name } lastSeenScan { id status } } } pageInfo { hasNextPage } } }";
        var full = api.graphql(token, page);
        assertThat(full.status())
                .as("a full page of findings is within the limit")
                .isEqualTo(200);
        assertThat(full.body()).doesNotContain("MAX_COMPLEXITY", "MAX_DEPTH");
    }

    @Test
    void manyListsInOneOperationAreRefusedHoweverLittleIsReadOfEach() {
        var reader = new TestProjects(context).fullAccessClient(acme);
        var token = api.token(reader.getKey(), reader.getValue());
        // Each alias is a statement of its own; filtered on an unindexed column to match nothing,
        // each walked every finding (or audit event) of the tenant, 990 times for one request.
        var findings = aliases(990, "a%d: findings(first: 1, filter: $f) { __typename }");
        var flood = api.graphql(
                token, "query($f: FindingFilter) {" + findings + " }", Map.of("f", Map.of("ruleId", "nope")));
        var events = aliases(990, "a%d: auditEvents(first: 1, filter: $f) { __typename }");
        var auditFlood = api.graphql(
                token, "query($f: AuditEventFilter) {" + events + " }", Map.of("f", Map.of("action", "nope")));
        // Spread from a fragment, eleven times.
        var spread = api.graphql(
                token,
                "{" + aliases(11, " ...f%d") + " }"
                        + aliases(11, " fragment f%d on Query { projects(first: 1) { __typename } }"));

        for (var response : List.of(flood, auditFlood, spread)) {
            assertRefusedCleanly(response, 400);
            assertThat(response.body()).contains("MAX_COMPLEXITY", "may read at most 10 lists");
        }
        // Ten, a list nested in another among them, are served.
        var ten = api.graphql(
                token,
                "{ projects(first: 1) { edges { node { scans(first: 1) { __typename } } } }"
                        + aliases(8, " a%d: auditEvents(first: 1) { __typename }") + " }");
        assertThat(ten.status()).as(ten.body()).isEqualTo(200);
        assertThat(ten.json().has("errors")).as(ten.body()).isFalse();
    }

    /** {@code template} (with {@code %d} for its index) {@code n} times. */
    private static String aliases(int n, String template) {
        var all = new StringBuilder();
        for (int i = 0; i < n; i++) {
            all.append(' ').append(template.formatted(i));
        }
        return all.toString();
    }

    @Test
    void aPageOfFewerThanOneItemIsRefusedNotServedAsAnotherSize() {
        // Served as the default page of 20, each -1 would have been counted as one item: four
        // levels of them fetch 160,000 scans for the cost of a handful of fields.
        var nested = "{ projects(first: -1) { edges { node { scans(first: -1) { edges { node { project {"
                + " scans(first: -1) { edges { node { id } } } } } } } } } } }";
        var inVariables =
                api.graphql(token, "query($n: Int) { findings(first: $n) { edges { node { id } } } }", Map.of("n", -1));
        var none = api.graphql(token, "{ findings(first: 0) { edges { node { id } } pageInfo { hasNextPage } } }");

        for (var response : List.of(api.graphql(token, nested), inVariables, none)) {
            assertRefusedCleanly(response, 400);
            assertThat(response.body()).contains("first is at least 1", "INVALID_INPUT");
        }
    }

    @Test
    void textWithANulCharacterIsRefusedAsTheClientsMistakeAndNothingIsCreated() {
        // A client that may create projects: the refusal is the text's, not the scopes'.
        var writer = new TestProjects(context).fullAccessClient(acme);
        var token = api.token(writer.getKey(), writer.getValue());
        var inVariables = api.graphql(
                token,
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                Map.of("input", Map.of("name", "Shop\u0000API", "targetUrl", "http://127.0.0.1:9/api")));
        var inDocument = api.graphql(
                token,
                "mutation { createProject(input: {name: \"Shop\\u0000API\", targetUrl: \"http://127.0.0.1:9/api\"})"
                        + " { project { id } } }");
        var inAFilter = api.graphql(token, "{ findings(filter: {ruleId: \"a\\u0000\"}) { edges { node { id } } } }");

        for (var response : List.of(inVariables, inDocument, inAFilter)) {
            assertRefusedCleanly(response, 400);
            assertThat(response.body()).contains("NUL character", "INVALID_INPUT");
        }
        assertThat(api.graphql(token, "{ projects(first: 10) { edges { node { id } } } }")
                        .data("projects.edges"))
                .isEmpty();
    }

    @Test
    void anAuthorizationRequestForAClientIdWithANulCharacterIsRefusedNotAServerError() {
        var response = api.get("/oauth2/authorize?response_type=code&client_id=venti%00portal&scope=openid"
                + "&redirect_uri=http://localhost/callback&code_challenge=abc&code_challenge_method=S256");

        assertThat(response.status()).as(response.body()).isBetween(400, 499);
    }

    @Test
    void anUnexpectedFailureIsAnOpaqueInternalErrorWithATraceId() {
        var response = api.graphql(token, "{ failUnexpectedly }");

        assertThat(response.status()).isEqualTo(200);
        var error = response.json().get("errors").get(0);
        assertThat(error.get("extensions").get("code").asString()).isEqualTo("INTERNAL_ERROR");
        var traceId = error.get("extensions").get("traceId").asString();
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(error.get("message").asString()).contains(traceId);
        assertThat(response.body()).doesNotContain("relation", "select", "IllegalState", "members");
    }

    private static Object[] seq(int n) {
        var values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    /** The status, and a GraphQL-shaped body saying why, without internals. */
    private static void assertRefusedCleanly(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body())
                .doesNotContain("Exception", "\tat ", "at io.", "at org.", "SQL", "select ", "postgres");
        assertThat(response.json().path("errors").path(0).path("message").asString())
                .as(response.body())
                .isNotBlank();
    }
}
