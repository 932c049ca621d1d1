package io.ventiapi.server.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A page of projects with their scans and spec versions costs as many SQL statements for ten
 * projects as for one, and each project still gets its own page of each, continued from its
 * own cursor.
 */
@VentiIntegrationTest
class ProjectNestedPagesIT {

    private static final String PAGE = """
            query($first: Int) { projects(first: $first) { edges { node { name
              scans(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage } }
              specVersions(first: 1) { edges { cursor node { version } } pageInfo { hasNextPage } }
            } } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void eachProjectGetsItsOwnPagesAndTenProjectsCostWhatOneDoes() {
        var api = new Api(port);
        var acme = tenants.create("nested-pages");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        // The first project has three scans and two versions; every later one, one of each.
        var busy = projects.seed(acme.id(), "Busy", 0);
        var busyScans = new ArrayList<UUID>(List.of(busy.scanId()));
        busyScans.add(projects.rescan(acme.id(), busy.projectId(), List.of()));
        busyScans.add(projects.rescan(acme.id(), busy.projectId(), List.of()));
        SystemActor.run(
                acme.id(),
                () -> context.getBean(SpecService.class)
                        .upload(busy.projectId(), TestProjects.SPEC.replace("/orders", "/invoices")));
        var quiet = new ArrayList<UUID>();
        for (int i = 0; i < 9; i++) {
            quiet.add(projects.seed(acme.id(), "Quiet " + i, 0).scanId());
        }
        TestProjects.awaitOutboxPublished(); // the relay's statements must not count

        var page = api.graphql(token, PAGE, Map.of("first", 10)).data("projects.edges");

        assertThat(page).hasSize(10);
        var first = page.get(0).get("node");
        assertThat(first.get("name").asString()).isEqualTo("Busy");
        assertThat(ids(first.get("scans"))).containsExactly(busyScans.get(2), busyScans.get(1));
        assertThat(hasNextPage(first.get("scans"))).isTrue();
        assertThat(firstVersion(first.get("specVersions"))).isEqualTo(2);
        assertThat(hasNextPage(first.get("specVersions"))).isTrue();
        for (int i = 0; i < 9; i++) {
            var node = page.get(i + 1).get("node");
            assertThat(ids(node.get("scans"))).as(node.get("name").asString()).containsExactly(quiet.get(i));
            assertThat(hasNextPage(node.get("scans"))).isFalse();
            assertThat(firstVersion(node.get("specVersions"))).isEqualTo(1);
        }

        // The next pages of the first project start after its cursors.
        var next = api.graphql(
                        token,
                        """
                        query($id: ID!, $scan: String, $version: String) { project(id: $id) {
                          scans(first: 2, after: $scan) { edges { node { id } } pageInfo { hasNextPage } }
                          specVersions(first: 1, after: $version) { edges { node { version } } } } }""",
                        Map.of(
                                "id", busy.projectId().toString(),
                                "scan", cursor(first.get("scans"), 1),
                                "version", cursor(first.get("specVersions"), 0)))
                .data("project");
        assertThat(ids(next.get("scans"))).containsExactly(busyScans.get(0));
        assertThat(hasNextPage(next.get("scans"))).isFalse();
        assertThat(firstVersion(next.get("specVersions"))).isEqualTo(1);

        assertThat(statementsFor(api, token, 10)).isEqualTo(statementsFor(api, token, 1));
    }

    private long statementsFor(Api api, String token, int projects) {
        var statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        statistics.clear();
        var response = api.graphql(token, PAGE, Map.of("first", projects));
        long statements = statistics.getPrepareStatementCount();
        assertThat(response.data("projects.edges")).hasSize(projects);
        return statements;
    }

    private static List<UUID> ids(JsonNode connection) {
        var ids = new ArrayList<UUID>();
        connection
                .get("edges")
                .forEach(edge ->
                        ids.add(UUID.fromString(edge.get("node").get("id").asString())));
        return ids;
    }

    private static boolean hasNextPage(JsonNode connection) {
        return connection.get("pageInfo").get("hasNextPage").asBoolean();
    }

    private static int firstVersion(JsonNode connection) {
        return connection.get("edges").get(0).get("node").get("version").asInt();
    }

    private static String cursor(JsonNode connection, int index) {
        return connection.get("edges").get(index).get("cursor").asString();
    }
}
