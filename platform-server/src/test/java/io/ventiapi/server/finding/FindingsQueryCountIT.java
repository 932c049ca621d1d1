package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.finding.Severity;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A page of findings with their project and scans costs a fixed number of SQL statements,
 * whatever the page size: nested fields are batch-loaded, never one query per row. And they share
 * one read-only transaction.
 */
@VentiIntegrationTest
class FindingsQueryCountIT {

    private static final String PAGE = """
            query($first: Int) { findings(first: $first) { edges { node {
              id title severity
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
        // findings, projects, identities, latest scans, latest specs, first-seen scans (and their
        // projects), last-seen scans: one statement each.
        assertThat(fifty).isLessThanOrEqualTo(8);
    }

    @Test
    void aQueryWhoseDocumentIsKnownRunsInOneSession() {
        statementsFor(5); // the first request of a document runs before its operation is known

        statistics.clear();
        var response = api.graphql(token, PAGE, Map.of("first", 50));

        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.data("findings.edges")).hasSize(50);
        // Findings, projects, identities, scans and specs: one transaction, so one Hibernate
        // session, not one per batch load (eight). A background job may open one at the same time.
        assertThat(statistics.getSessionOpenCount()).isBetween(1L, 2L);
    }

    private long statementsFor(int pageSize) {
        statistics.clear();
        var response = api.graphql(token, PAGE, Map.of("first", pageSize));
        long statements = statistics.getPrepareStatementCount();

        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.data("findings.edges")).hasSize(pageSize);
        System.out.printf("findings page of %d with project and scans: %d SQL statements%n", pageSize, statements);
        return statements;
    }
}
