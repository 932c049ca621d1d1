package io.ventiapi.server.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The operations of every version on a page are read together, one batch for the page, and each
 * version gets its own operations, paged from where its cursor left off.
 */
@VentiIntegrationTest
class SpecOperationsPagesIT {

    private static final String VERSIONS = """
            query($id: ID!) { project(id: $id) { specVersions(first: 10) { edges { node { version
              operations(first: 1) { edges { cursor node { path } } pageInfo { hasNextPage } } } } } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    MeterRegistry meters;

    @Test
    void eachVersionGetsItsOwnPageAndAllPagesComeInOneBatch() {
        var api = new Api(port);
        var acme = tenants.create("ops-pages");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        var seeded = projects.seed(acme.id(), "Versions", 0);
        var specs = context.getBean(SpecService.class);
        // Versions 2 and 3 describe other first paths, so each page shows whose it is.
        SystemActor.run(acme.id(), () -> {
            specs.upload(seeded.projectId(), TestProjects.SPEC.replace("/orders", "/invoices"));
            specs.upload(seeded.projectId(), TestProjects.SPEC.replace("/orders", "/refunds"));
        });
        api.graphql(token, VERSIONS, Map.of("id", seeded.projectId().toString())); // a first run, for the document
        double before = batches();

        var page = api.graphql(token, VERSIONS, Map.of("id", seeded.projectId().toString()));

        var firsts = new ArrayList<String>();
        page.data("project.specVersions.edges").forEach(edge -> {
            var operations = edge.get("node").get("operations");
            assertThat(operations.get("pageInfo").get("hasNextPage").asBoolean())
                    .isTrue();
            firsts.add(edge.get("node").get("version").asInt() + " "
                    + operations.get("edges").get(0).get("node").get("path").asString());
        });
        assertThat(firsts).containsExactly("3 /refunds", "2 /invoices", "1 /orders");
        assertThat(batches() - before)
                .as("one batch load for the three versions")
                .isEqualTo(1.0);

        // The second page of version 1 starts after its first operation.
        var cursor = page.data("project.specVersions.edges")
                .get(2)
                .get("node")
                .get("operations")
                .get("edges")
                .get(0)
                .get("cursor")
                .asString();
        var second = api.graphql(
                        token,
                        "query($id: ID!, $after: String) { project(id: $id) { specVersions(first: 10) { edges { node {"
                                + " version operations(first: 5, after: $after) { edges { node { path } } } } } } } }",
                        Map.of("id", seeded.projectId().toString(), "after", cursor))
                .data("project.specVersions.edges");
        var paths = new ArrayList<String>();
        second.get(2)
                .get("node")
                .get("operations")
                .get("edges")
                .forEach(edge -> paths.add(edge.get("node").get("path").asString()));
        assertThat(paths).isEqualTo(List.of("/health"));
    }

    private double batches() {
        var timer = meters.find("graphql.dataloader")
                .tag("graphql.loader.name", "specOperations")
                .timer();
        return timer == null ? 0 : timer.count();
    }
}
