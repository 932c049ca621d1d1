package io.ventiapi.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ventiapi.engine.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning: operations, parameters, bodies, security and the producer → consumer graph. */
class OperationPlannerTest {

    @TempDir
    Path dir;

    private ScanPlan testApiPlan() throws IOException {
        Path spec = dir.resolve("shop.yaml");
        try (var in = getClass().getResourceAsStream("/demo-target/openapi.yaml")) {
            Files.write(spec, in.readAllBytes());
        }
        return new OperationPlanner().plan(new SpecLoader().load(spec.toString()));
    }

    @Test
    void plansOperationsWithParametersBodiesAndSecurity() throws IOException {
        ScanPlan plan = testApiPlan();

        assertThat(plan.operations()).hasSize(42);
        PlannedOperation search = plan.operation("searchProducts").orElseThrow();
        assertThat(search.body().mediaType()).isEqualTo("application/json");
        assertThat(search.requiresAuthentication()).isFalse();
        PlannedOperation stores = plan.operation("listStores").orElseThrow();
        assertThat(stores.parameters())
                .singleElement()
                .satisfies(p -> assertThat(p.label()).isEqualTo("header:X-Store-Region"));
        assertThat(plan.operation("listOrders").orElseThrow().requiresAuthentication())
                .isTrue();
        assertThat(plan.securitySchemes().get("bearerAuth").httpScheme()).isEqualTo("bearer");
    }

    @Test
    void linksCollectionsToTheirItemsAndOrdersProducersFirst() throws IOException {
        ScanPlan plan = testApiPlan();

        assertThat(plan.dependencies().producersOf("getOrder"))
                .extracting(DependencyEdge::producerId)
                .contains("listOrders", "createOrder");
        List<DependencyEdge> productProducers = plan.dependencies().producersOf("getProduct");
        assertThat(productProducers.getFirst()).satisfies(edge -> {
            assertThat(edge.producerId()).isEqualTo("listProducts");
            assertThat(edge.producerField()).isEqualTo("id");
            assertThat(edge.reason()).isEqualTo(DependencyEdge.Reason.PATH);
        });
        // Orders carry a productId too: a weaker, name-based producer of real product ids.
        assertThat(productProducers)
                .anySatisfy(edge -> assertThat(edge.reason()).isEqualTo(DependencyEdge.Reason.SCHEMA_NAME));
        List<String> order = plan.dependencies().executionOrder(plan.operations()).stream()
                .map(PlannedOperation::id)
                .toList();
        assertThat(order.indexOf("listProducts")).isLessThan(order.indexOf("getProduct"));
        assertThat(order.indexOf("createOrder")).isLessThan(order.indexOf("getOrder"));
        assertThat(order.indexOf("createAddress")).isLessThan(order.indexOf("getAddress"));
        assertThat(order.getLast()).isIn("deleteOrder", "deleteAddress");
    }

    @Test
    void followsOpenApiLinksAndIdentifierNames() {
        Path linkExample = Path.of("..", "..", "shared", "openapi-corpus", "oai-link-example-v3.0.json");
        assumeTrue(Files.isRegularFile(linkExample), "the shared corpus is not beside the repository");

        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(linkExample.toString()));

        assertThat(plan.dependencies().edges()).anySatisfy(edge -> {
            assertThat(edge.reason()).isEqualTo(DependencyEdge.Reason.LINK);
            assertThat(edge.producerId()).isEqualTo("getUserByName");
            assertThat(edge.consumerId()).isEqualTo("getRepositoriesByOwner");
            assertThat(edge.producerField()).isEqualTo("/username");
        });
    }
}
