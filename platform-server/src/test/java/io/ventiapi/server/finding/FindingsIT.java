package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.finding.Confidence;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.ObservedFinding;
import io.ventiapi.platform.finding.OwaspCategory;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** Findings: idempotent recording, filters, keyset pages, triage rules and per-project counts. */
@VentiIntegrationTest
class FindingsIT {

    private static final String PAGE = """
            query($filter: FindingFilter, $order: FindingOrder, $first: Int, $after: String) {
              findings(filter: $filter, orderBy: $order, first: $first, after: $after) {
                edges { node { id severity status category ruleId lastSeenAt } }
                pageInfo { hasNextPage endCursor } } }""";
    private static final String TRIAGE = """
            mutation($input: TriageFindingInput!) { triageFinding(input: $input) {
              finding { id status triage { reason expiresAt by at } } errors { code field message } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture acme;
    TestProjects projects;
    TestProjects.Seeded seeded;
    String token;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("findings");
        projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        token = api.token(client.getKey(), client.getValue());
        seeded = projects.seed(acme.id(), "Findings", 23);
    }

    @Test
    void recordingIsIdempotentAndALaterScanUpdatesLastSeenOnly() {
        var recorder = context.getBean(FindingRecorder.class);
        var again = SystemActor.call(
                acme.id(),
                () -> recorder.record(
                        seeded.scanId(),
                        List.of(
                                TestProjects.finding("fp-0", Severity.INFO),
                                TestProjects.finding("fp-1", Severity.LOW))));
        assertThat(again)
                .extracting(finding -> finding.getId())
                .containsExactly(seeded.findingIds().get(0), seeded.findingIds().get(1));

        var rescan = projects.rescan(
                acme.id(),
                seeded.projectId(),
                List.of(
                        withResponse(
                                TestProjects.finding("fp-0", Severity.INFO), "HTTP/1.1 200 OK\n{\"rescanned\": true}"),
                        TestProjects.finding("new", Severity.HIGH)));

        var read = api.graphql(
                token, """
                query($first: ID!, $scan: ID!) {
                  finding(id: $first) { firstSeenScan { id } lastSeenScan { id } evidence { request response } }
                  scan(id: $scan) { severityCounts { info high total } }
                  findings(filter: {ruleId: "venti.bola.fp-0"}) { edges { node { id } } } }""", Map.of("first", seeded.findingIds().get(0).toString(), "scan", rescan.toString()));
        assertThat(read.data("finding.firstSeenScan.id").asString())
                .isEqualTo(seeded.scanId().toString());
        assertThat(read.data("finding.lastSeenScan.id").asString()).isEqualTo(rescan.toString());
        assertThat(read.data("scan.severityCounts.total").asInt()).isEqualTo(2);
        assertThat(read.data("scan.severityCounts.high").asInt()).isEqualTo(1);
        assertThat(read.data("findings.edges")).hasSize(1);
        assertThat(read.data("finding.evidence.request").asString())
                .contains("GET /orders/2", "Authorization: [REDACTED]")
                .doesNotContain("eyJhbGci");
        // The latest scan's evidence replaces the first one's.
        assertThat(read.data("finding.evidence.response").asString()).contains("rescanned");

        var first = api.graphql(
                token,
                "query($id: ID!) { scan(id: $id) { severityCounts { info low medium high critical total } } }",
                Map.of("id", seeded.scanId().toString()));
        assertThat(first.data("scan.severityCounts.total").asInt())
                .as("the repeat delivery counted once")
                .isEqualTo(23);
    }

    @Test
    void keysetPagesWalkTheWholeListOnceInSeverityOrder() {
        for (var order : List.of("SEVERITY", "LAST_SEEN")) {
            var seen = new ArrayList<JsonNode>();
            String after = null;
            int pages = 0;
            do {
                var variables = new java.util.HashMap<String, Object>(Map.of("order", order, "first", 7));
                if (after != null) {
                    variables.put("after", after);
                }
                var page = api.graphql(token, PAGE, variables).data("findings");
                page.get("edges").forEach(edge -> seen.add(edge.get("node")));
                after = page.get("pageInfo").get("hasNextPage").asBoolean()
                        ? page.get("pageInfo").get("endCursor").asString()
                        : null;
                pages++;
            } while (after != null);

            assertThat(pages).isEqualTo(4);
            assertThat(seen).hasSize(23);
            assertThat(new HashSet<>(
                            seen.stream().map(node -> node.get("id").asString()).toList()))
                    .hasSize(23);
            if (order.equals("SEVERITY")) {
                var ranks = seen.stream()
                        .map(node -> Severity.valueOf(node.get("severity").asString())
                                .rank())
                        .toList();
                assertThat(ranks).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
            }
        }
    }

    @Test
    void recordersOfOneScanRunningAtOnceLoseNoneOfItsCounts() throws Exception {
        var counts = "query($id: ID!) { scan(id: $id) { severityCounts { high total } } }";
        var before = api.graphql(token, counts, Map.of("id", seeded.scanId().toString()))
                .data("scan.severityCounts");
        var recorder = context.getBean(FindingRecorder.class);
        int recorders = 8;
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < recorders; i++) {
            var report = TestProjects.finding("parallel-" + i, Severity.HIGH);
            tasks.add(() -> SystemActor.call(
                    acme.id(),
                    () -> recorder.record(seeded.scanId(), List.of(report)).size()));
        }
        try (var pool = Executors.newFixedThreadPool(recorders)) {
            for (var recorded : pool.invokeAll(tasks)) {
                assertThat(recorded.get()).isEqualTo(1);
            }
        }

        var after = api.graphql(token, counts, Map.of("id", seeded.scanId().toString()))
                .data("scan.severityCounts");
        assertThat(after.get("high").asInt()).isEqualTo(before.get("high").asInt() + recorders);
        assertThat(after.get("total").asInt()).isEqualTo(before.get("total").asInt() + recorders);
    }

    @Test
    void filtersNarrowTheList() {
        assertThat(ids(Map.of("minSeverity", "HIGH"))).hasSize(8);
        assertThat(ids(Map.of("minSeverity", "CRITICAL"))).hasSize(4);
        assertThat(ids(Map.of("projectId", seeded.projectId().toString(), "category", "API1")))
                .hasSize(23);
        assertThat(ids(Map.of("category", "API8"))).isEmpty();
        assertThat(ids(Map.of("ruleId", "venti.bola.fp-3"))).hasSize(1);
        assertThat(ids(Map.of("status", "OPEN"))).hasSize(23);

        var tampered = api.graphql(token, PAGE, Map.of("first", 5, "after", "bm90IGEgY3Vyc29y"));
        assertThat(tampered.firstErrorCode()).isEqualTo("INVALID_INPUT");
        assertThat(tampered.body()).contains("not a cursor of this list").doesNotContain("Exception", "at io.");
    }

    @Test
    void cursorsOfAnotherOrderOrListAndDatesPostgresCannotHoldAreRefusedAsInput() {
        var bySeverity = endCursor(Map.of("first", 2, "order", "SEVERITY"));
        var byLastSeen = endCursor(Map.of("first", 2, "order", "LAST_SEEN"));
        assertInvalid(
                api.graphql(token, PAGE, Map.of("first", 2, "order", "LAST_SEEN", "after", bySeverity)),
                "not a cursor of the findings list in this order");
        assertInvalid(
                api.graphql(token, PAGE, Map.of("first", 2, "order", "SEVERITY", "after", byLastSeen)),
                "not a cursor of the findings list in this order");
        assertInvalid(
                api.graphql(
                        token,
                        PAGE,
                        Map.of(
                                "first",
                                2,
                                "after",
                                base64("K&rank=i4&seen=s%2B300000-01-01T00:00:00Z&id=s"
                                        + seeded.findingIds().getFirst()))),
                "not a cursor of the findings list in this order");

        var scans = "query($id: ID!, $after: String) { project(id: $id) { scans(first: 5, after: $after) {"
                + " edges { node { id } } } } }";
        for (var foreign : List.of(bySeverity, base64("O2147483647"), base64("K&queuedAt=s2026&id=s1"))) {
            assertInvalid(
                    api.graphql(token, scans, Map.of("id", seeded.projectId().toString(), "after", foreign)),
                    "not a cursor of this list");
        }

        var farFuture = api.graphql(
                token,
                TRIAGE,
                Map.of(
                        "input",
                        Map.of(
                                "id",
                                seeded.findingIds().getFirst().toString(),
                                "status",
                                "ACCEPTED_RISK",
                                "reason",
                                "forever and a day",
                                "expiresAt",
                                "+300000-01-01T00:00:00Z")));
        assertThat(farFuture.body()).contains("years 1 to 9999").doesNotContain("INTERNAL_ERROR", "triageFinding\":{");
    }

    private String endCursor(Map<String, Object> variables) {
        return api.graphql(token, PAGE, variables)
                .data("findings.pageInfo.endCursor")
                .asString();
    }

    private static void assertInvalid(Api.Response response, String message) {
        var error = response.json().get("errors").get(0);
        assertThat(error.get("extensions").get("code").asString())
                .as(response.body())
                .isEqualTo("INVALID_INPUT");
        assertThat(error.get("message").asString()).contains(message);
    }

    private static String base64(String cursor) {
        return java.util.Base64.getEncoder().encodeToString(cursor.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void triageFollowsTheRulesAndShowsInCountsAndFilters() {
        var id = seeded.findingIds().get(4).toString();

        assertTriageRefused(Map.of("id", id, "status", "ACCEPTED_RISK"), "reason");
        assertTriageRefused(
                Map.of("id", id, "status", "ACCEPTED_RISK", "reason", "legacy", "expiresAt", "2020-01-01T00:00:00Z"),
                "expiresAt");
        assertTriageRefused(Map.of("id", id, "status", "FIXED"), "status");
        assertTriageRefused(
                Map.of(
                        "id",
                        id,
                        "status",
                        "FALSE_POSITIVE",
                        "expiresAt",
                        Instant.now().plus(1, ChronoUnit.DAYS).toString()),
                "expiresAt");

        var until = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        var accepted = api.graphql(
                token,
                TRIAGE,
                Map.of(
                        "input",
                        Map.of(
                                "id",
                                id,
                                "status",
                                "ACCEPTED_RISK",
                                "reason",
                                "internal only",
                                "expiresAt",
                                until.toString())));
        assertThat(accepted.data("triageFinding.errors")).as(accepted.body()).isEmpty();
        var finding = accepted.data("triageFinding.finding");
        assertThat(finding.get("status").asString()).isEqualTo("ACCEPTED_RISK");
        assertThat(finding.get("triage").get("reason").asString()).isEqualTo("internal only");
        assertThat(Instant.parse(finding.get("triage").get("expiresAt").asString()))
                .isEqualTo(until);
        assertThat(finding.get("triage").get("by").asString())
                .startsWith(acme.id().value());
        assertThat(api.graphql(
                                token,
                                "{ auditEvents(filter: {action: \"finding.triage\"}) { edges { node { summary } } } }")
                        .body())
                .contains("previousStatus", "OPEN");
        // The time the payload shows is the one later reads show (PostgreSQL keeps microseconds).
        assertThat(api.graphql(token, "query($id: ID!) { finding(id: $id) { triage { at } } }", Map.of("id", id))
                        .data("finding.triage.at")
                        .asString())
                .isEqualTo(finding.get("triage").get("at").asString());

        api.graphql(
                token,
                TRIAGE,
                Map.of("input", Map.of("id", seeded.findingIds().get(5).toString(), "status", "FALSE_POSITIVE")));

        assertThat(ids(Map.of("status", "ACCEPTED_RISK"))).containsExactly(id);
        var counts = api.graphql(
                        token,
                        "query($id: ID!) { project(id: $id) { findingCounts { total bySeverity { severity count }"
                                + " openBySeverity { severity count } byStatus { status count } } } }",
                        Map.of("id", seeded.projectId().toString()))
                .data("project.findingCounts");
        assertThat(counts.get("total").asInt()).isEqualTo(23);
        assertThat(counts.get("bySeverity").toString())
                .contains(
                        "{\"severity\":\"INFO\",\"count\":5}",
                        "{\"severity\":\"HIGH\",\"count\":4}",
                        "{\"severity\":\"CRITICAL\",\"count\":4}");
        // The accepted risk was the fifth finding (CRITICAL), the false positive the sixth (INFO).
        assertThat(counts.get("openBySeverity").toString())
                .isEqualTo("[{\"severity\":\"INFO\",\"count\":4},{\"severity\":\"LOW\",\"count\":5},"
                        + "{\"severity\":\"MEDIUM\",\"count\":5},{\"severity\":\"HIGH\",\"count\":4},"
                        + "{\"severity\":\"CRITICAL\",\"count\":3}]");
        assertThat(counts.get("byStatus").toString())
                .contains(
                        "{\"status\":\"OPEN\",\"count\":21}",
                        "{\"status\":\"ACCEPTED_RISK\",\"count\":1}",
                        "{\"status\":\"FALSE_POSITIVE\",\"count\":1}",
                        "{\"status\":\"FIXED\",\"count\":0}");
    }

    @Test
    void anAcceptedRiskAScanReportsMoreSevereIsOpenAgainAndAudited() {
        // The seeded findings fp-1, fp-6, fp-11, fp-16 and fp-21 are LOW.
        var tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        var raised = seeded.findingIds().get(1);
        var raisedBeforeItsExpiry = seeded.findingIds().get(6);
        var sameSeverity = seeded.findingIds().get(11);
        var lowerSeverity = seeded.findingIds().get(16);
        var falsePositive = seeded.findingIds().get(21);
        for (var accepted : List.of(raised, raisedBeforeItsExpiry, sameSeverity, lowerSeverity)) {
            var input = new java.util.HashMap<String, Object>(Map.of(
                    "id", accepted.toString(), "status", "ACCEPTED_RISK", "reason", "low impact, internal only"));
            if (accepted.equals(raisedBeforeItsExpiry) || accepted.equals(lowerSeverity)) {
                input.put("expiresAt", tomorrow);
            }
            var triaged = api.graphql(token, TRIAGE, Map.of("input", input));
            assertThat(triaged.data("triageFinding.finding.status").asString())
                    .as(triaged.body())
                    .isEqualTo("ACCEPTED_RISK");
        }
        api.graphql(
                token,
                TRIAGE,
                Map.of(
                        "input",
                        Map.of("id", falsePositive.toString(), "status", "FALSE_POSITIVE", "reason", "public")));

        var rescan = projects.rescan(
                acme.id(),
                seeded.projectId(),
                List.of(
                        TestProjects.finding("fp-1", Severity.HIGH),
                        TestProjects.finding("fp-6", Severity.CRITICAL),
                        TestProjects.finding("fp-11", Severity.LOW),
                        TestProjects.finding("fp-16", Severity.INFO),
                        TestProjects.finding("fp-21", Severity.CRITICAL)));

        assertThat(findingStatus(raised)).isEqualTo("OPEN");
        assertThat(findingStatus(raisedBeforeItsExpiry)).isEqualTo("OPEN");
        assertThat(findingStatus(sameSeverity)).isEqualTo("ACCEPTED_RISK");
        assertThat(findingStatus(lowerSeverity)).isEqualTo("ACCEPTED_RISK");
        assertThat(findingStatus(falsePositive))
                .as("a false positive is not real at any severity")
                .isEqualTo("FALSE_POSITIVE");
        var reopened = new ArrayList<JsonNode>();
        api.graphql(
                        token,
                        "{ auditEvents(filter: {action: \"finding.reopen\"}) {"
                                + " edges { node { targetType targetId actor summary } } } }")
                .data("auditEvents.edges")
                .forEach(edge -> reopened.add(edge.get("node")));
        assertThat(reopened)
                .extracting(event -> event.get("targetId").asString())
                .containsExactlyInAnyOrder(raised.toString(), raisedBeforeItsExpiry.toString());
        assertThat(reopened).allSatisfy(event -> {
            assertThat(event.get("targetType").asString()).isEqualTo("Finding");
            assertThat(event.get("summary").asString())
                    .contains(
                            "\"acceptedSeverity\":\"LOW\"",
                            "\"previousStatus\":\"ACCEPTED_RISK\"",
                            "\"status\":\"OPEN\"",
                            "\"scanId\":\"" + rescan + "\"");
        });
        assertThat(reopened)
                .extracting(event -> event.get("summary").asString())
                .anySatisfy(summary -> assertThat(summary).contains("\"severity\":\"HIGH\""))
                .anySatisfy(summary -> assertThat(summary).contains("\"severity\":\"CRITICAL\""));
    }

    private String findingStatus(java.util.UUID id) {
        return api.graphql(token, "query($id: ID!) { finding(id: $id) { status } }", Map.of("id", id.toString()))
                .data("finding.status")
                .asString();
    }

    private void assertTriageRefused(Map<String, Object> input, String field) {
        var response = api.graphql(token, TRIAGE, Map.of("input", input));
        var error = response.data("triageFinding.errors").get(0);
        assertThat(error.get("code").asString()).as(response.body()).isEqualTo("INVALID_INPUT");
        assertThat(error.get("field").asString()).as(response.body()).isEqualTo(field);
    }

    private List<String> ids(Map<String, Object> filter) {
        var response = api.graphql(token, PAGE, Map.of("filter", filter, "first", 100));
        var ids = new ArrayList<String>();
        response.data("findings.edges")
                .forEach(edge -> ids.add(edge.get("node").get("id").asString()));
        return ids;
    }

    @Test
    void theProjectsOwnIdentitySecretsNeverReachStoredEvidenceWhereverTheyAppear() {
        var leaky = new ObservedFinding(
                "leaky",
                "custom.echo",
                "The target echoes the caller's key",
                OwaspCategory.API8,
                200,
                Severity.MEDIUM,
                Confidence.HIGH,
                "get",
                "/echo",
                null,
                "GET /echo?k=" + TestProjects.API_KEY + "&page=2 HTTP/1.1\nX-Shop-Access: " + TestProjects.API_KEY,
                "HTTP/1.1 200 OK\n{\"you\": \"" + TestProjects.API_KEY + "\", \"owner\": \"bob\"}",
                "Do not echo credentials.");
        projects.rescan(acme.id(), seeded.projectId(), List.of(leaky));

        var read = api.graphql(
                token,
                "{ findings(filter: {ruleId: \"custom.echo\"}) { edges { node { evidence { request response } } } } }");
        var evidence = read.data("findings.edges").get(0).get("node").get("evidence");
        assertThat(evidence.get("request").asString())
                .doesNotContain(TestProjects.API_KEY)
                .contains("page=2", "X-Shop-Access: [REDACTED]");
        assertThat(evidence.get("response").asString())
                .doesNotContain(TestProjects.API_KEY)
                .contains("\"owner\": \"bob\"");
    }

    private static ObservedFinding withResponse(ObservedFinding finding, String response) {
        return new ObservedFinding(
                finding.fingerprint(),
                finding.ruleId(),
                finding.title(),
                finding.category(),
                finding.cwe(),
                finding.severity(),
                finding.confidence(),
                finding.method(),
                finding.path(),
                finding.parameter(),
                finding.requestExcerpt(),
                response,
                finding.remediation());
    }
}
