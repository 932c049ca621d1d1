package io.ventiapi.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Path ids come from what the API itself returned, not from guesses like 1 or 2. */
class RequestSynthesizerTest {

    @TempDir
    Path dir;

    @Test
    void followsOpenApiLinksFromTheRightResponse() throws IOException {
        Path linkExample = Path.of("..", "..", "shared", "openapi-corpus", "oai-link-example-v3.0.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isRegularFile(linkExample), "the shared corpus is not beside the repository");
        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(linkExample.toString()));
        HarvestedValues harvested = new HarvestedValues();
        JsonMapper json = JsonMapper.builder().build();

        harvested.harvest(
                "getUserByName",
                json.readTree("{\"username\":\"octo\",\"uuid\":\"u-1\"}"),
                plan.dependencies().edges());
        // A response of another operation must not be taken for getUserByName's.
        harvested.harvest(
                "getRepository",
                json.readTree("{\"slug\":\"venti\",\"owner\":{\"username\":\"mallory\"}}"),
                plan.dependencies().edges());

        assertThat(new RequestSynthesizer(plan)
                        .synthesize(plan.operation("getRepositoriesByOwner").orElseThrow(), harvested)
                        .pathAndQuery())
                .isEqualTo("/2.0/repositories/octo");
    }

    @Test
    void fillsPathParametersWithIdsHarvestedFromTheirProducers() throws IOException {
        Path spec = dir.resolve("shop.yaml");
        try (var in = getClass().getResourceAsStream("/demo-target/openapi.yaml")) {
            Files.write(spec, in.readAllBytes());
        }
        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(spec.toString()));
        RequestSynthesizer synthesizer = new RequestSynthesizer(plan);
        HarvestedValues harvested = new HarvestedValues();
        JsonMapper json = JsonMapper.builder().build();

        assertThat(synthesizer
                        .synthesize(plan.operation("getUser").orElseThrow(), harvested)
                        .pathAndQuery())
                .as("nothing harvested yet: a schema-valid guess")
                .isEqualTo("/api/users/1");

        harvested.harvest(
                "listUsers",
                json.readTree("[{\"id\":7,\"name\":\"alice\"},{\"id\":42,\"name\":\"bob\"}]"),
                plan.dependencies().edges());
        harvested.harvest(
                "createOrder",
                json.readTree("{\"id\":101,\"productId\":12,\"quantity\":2}"),
                plan.dependencies().edges());

        assertThat(synthesizer
                        .synthesize(plan.operation("getUser").orElseThrow(), harvested)
                        .pathAndQuery())
                .isIn("/api/users/7", "/api/users/42");
        assertThat(synthesizer
                        .synthesize(plan.operation("getOrder").orElseThrow(), harvested)
                        .pathAndQuery())
                .isEqualTo("/api/orders/101");
        assertThat(synthesizer
                        .synthesize(plan.operation("getProduct").orElseThrow(), harvested)
                        .pathAndQuery())
                .as("an order's productId is a real product id")
                .isEqualTo("/api/products/12");
    }
}
