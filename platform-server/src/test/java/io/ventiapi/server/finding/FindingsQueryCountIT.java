package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A page of findings with their project and scans costs a fixed number of SQL statements,
 * whatever the page size: nested fields are batch-loaded, never one query per row; a finding's
 * project and last-seen scan come with the page's own statement. And they share one read-only
 * transaction.
 */
@VentiIntegrationTest
class FindingsQueryCountIT {

    private static final String PAGE = """
            query($first: Int) { findings(first: $first) { edges { node {
              id title severity evidence { request response }
              project { id name identities { name maskedSecret } latestScan { id status } latestSpec { version } }
              firstSeenScan { id status project { name } }
              lastSeenScan { id queuedAt }
            } } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    Api api;
    String token;
    Statistics statistics;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        var acme = tenants.create("sql-count");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        token = api.token(client.getKey(), client.getValue());
        // Findings spread over two projects and two scans each, so batches hold several keys.
        var shop = projects.seed(acme.id(), "Shop", 30);
        var billing = projects.seed(acme.id(), "Billing", 30);
        projects.rescan(acme.id(), shop.projectId(), List.of(TestProjects.finding("fp-1", Severity.LOW)));
        projects.rescan(acme.id(), billing.projectId(), List.of(TestProjects.finding("fp-2", Severity.MEDIUM)));
        // The relay dispatches the seeded scans in the background; its statements must not count.
        TestProjects.awaitOutboxPublished();
        statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        assertThat(statistics.isStatisticsEnabled()).isTrue();
    }

    @Test
    void aPageOf50FindingsWithProjectAndScansTakesAsManyStatementsAsAPageOf5() {
        long five = statementsFor(5);
        long fifty = statementsFor(50);

        assertThat(fifty).isEqualTo(five);
        // findings with their projects and last-seen scans; evidence, identities, latest scans,
        // latest specs, first-seen scans (and their projects): one statement each.
        assertThat(fifty).isLessThanOrEqualTo(7);
    }

    @Test
    void aQueryWhoseDocumentIsKnownRunsInOneSession() {
        statementsFor(5); // the first request of a document runs before its operation is known

        statistics.clear();
        var response = api.graphql(token, PAGE, Map.of("first", 50));

        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.data("findings.edges")).hasSize(50);
        // Findings, projects, identities, scans and specs: one transaction, so one Hibernate
        // session, not one per statement (six). A background job may open one at the same time.
        assertThat(statistics.getSessionOpenCount()).isBetween(1L, 2L);
    }

    @Test
    void projectAndLastSeenScanComeWithThePageAndMatchTheirFinding() {
        long bare =
                statementsFor(token, "query($first: Int) { findings(first: $first) { edges { node { id } } } }", 50);
        var query = "query($first: Int) { findings(first: $first) { edges { node { id"
                + " project { id name } lastSeenScan { id status } } } } }";
        long withBoth = statementsFor(token, query, 50);

        assertThat(withBoth).isEqualTo(bare);
        // The same page through the batch loads, one finding at a time, agrees on every row.
        var page = api.graphql(token, query, Map.of("first", 50)).data("findings.edges");
        // The statement joins each project and scan to the row where it first appears; the page
        // returns to a project and a scan after another, so later rows must find theirs too.
        assertThat(revisits(page, "project")).isPositive();
        assertThat(revisits(page, "lastSeenScan")).isPositive();
        for (var edge : page) {
            var node = edge.get("node");
            var alone = alone(node, "project { id name } lastSeenScan { id status }");
            assertThat(node.get("project")).isEqualTo(alone.get("project"));
            assertThat(node.get("lastSeenScan")).isEqualTo(alone.get("lastSeenScan"));
        }
    }

    @Test
    void evidenceIsReadInOneStatementOnlyWhenAskedAndMatchesItsFinding() {
        long bare =
                statementsFor(token, "query($first: Int) { findings(first: $first) { edges { node { id } } } }", 50);
        var query =
                "query($first: Int) { findings(first: $first) { edges { node { id evidence { request response } } } } }";
        long withEvidence = statementsFor(token, query, 50);

        // A list leaves the excerpts out of its statement; asked for, they come in one more.
        assertThat(withEvidence).isEqualTo(bare + 1);
        var page = api.graphql(token, query, Map.of("first", 50)).data("findings.edges");
        for (var edge : page) {
            var node = edge.get("node");
            assertThat(node.get("evidence").get("request").asString()).startsWith("GET ");
            var alone = alone(node, "fingerprint evidence { request response }");
            assertThat(node.get("evidence")).isEqualTo(alone.get("evidence"));
            assertThat(node.get("evidence").get("response").asString())
                    .contains(alone.get("fingerprint").asString());
        }
    }

    @Test
    void aClientWithoutScansReadIsStillRefusedThemThroughThePage() {
        var acme = tenants.create("sql-count-scopes");
        var projects = new TestProjects(context);
        projects.seed(acme.id(), "Shop", 3);
        var noScans = SystemActor.call(
                acme.id(),
                () -> context.getBean(ApiClientService.class)
                        .create("no scans", List.of(Scopes.FINDINGS_READ, Scopes.PROJECTS_READ)));
        var noScansToken = api.token(noScans.client().getClientId(), noScans.clientSecret());

        TestProjects.awaitOutboxPublished();

        // Projects are readable, and come with the page: no statement beyond the page's own.
        var withProjects = "query($first: Int) { findings(first: $first) { edges { node { id project { name } } } } }";
        assertThat(statementsFor(noScansToken, withProjects, 3))
                .isEqualTo(statementsFor(
                        noScansToken, "query($first: Int) { findings(first: $first) { edges { node { id } } } }", 3));
        var edges = api.graphql(noScansToken, withProjects, Map.of("first", 3)).data("findings.edges");
        edges.forEach(
                edge -> assertThat(edge.get("node").get("project").get("name").asString())
                        .isEqualTo("Shop"));

        // Scans are not: each finding's is refused, as it is anywhere else.
        var refused = api.graphql(
                noScansToken, "{ findings(first: 3) { edges { node { id project { name } lastSeenScan { id } } } } }");
        var errors = refused.json().get("errors");
        assertThat(errors).as(refused.body()).hasSize(3);
        errors.forEach(error -> {
            assertThat(error.get("extensions").get("code").asString()).isEqualTo("FORBIDDEN");
            assertThat(error.get("path").get(4).asString()).isEqualTo("lastSeenScan");
        });
    }

    /** The finding of a page's {@code node} read on its own, through {@code finding(id)}. */
    private JsonNode alone(JsonNode node, String selection) {
        return api.graphql(
                        token,
                        "query($id: ID!) { finding(id: $id) { " + selection + " } }",
                        Map.of("id", node.get("id").asString()))
                .data("finding");
    }

    /** How many rows of {@code edges} name an object (by id) seen on an earlier row, with another between. */
    private static long revisits(JsonNode edges, String field) {
        var seen = new HashSet<String>();
        String previous = null;
        long revisits = 0;
        for (var edge : edges) {
            var id = edge.get("node").get(field).get("id").asString();
            if (!id.equals(previous) && !seen.add(id)) {
                revisits++;
            }
            previous = id;
        }
        return revisits;
    }

    private long statementsFor(int pageSize) {
        return statementsFor(token, PAGE, pageSize);
    }

    private long statementsFor(String token, String page, int pageSize) {
        statistics.clear();
        var response = api.graphql(token, page, Map.of("first", pageSize));
        long statements = statistics.getPrepareStatementCount();

        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.data("findings.edges")).hasSize(pageSize);
        System.out.printf("findings page of %d with project and scans: %d SQL statements%n", pageSize, statements);
        return statements;
    }
}
