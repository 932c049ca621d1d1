package io.ventiapi.engine.check.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.check.OneOperationTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow answers that do not come back every time the same run of letters is sent are not ReDoS. (A real one is
 * found on the test API and in {@code ThirdPartyPatternsTest}.)
 */
class ResourceConsumptionCheckTest {

    @TempDir
    Path workDir;

    @Test
    void twoStallsOfTheTargetAreNoRegularExpressionDenialOfService() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (OneOperationTarget validate = new OneOperationTarget(workDir, """
                openapi: 3.0.3
                info: {title: validate, version: '1'}
                paths:
                  /validate:
                    get:
                      operationId: validateEmail
                      parameters:
                        - {name: email, in: query, required: true, schema: {type: string, format: email}}
                      responses: {'200': {description: checked}}
                """, exchange -> {
            try (exchange) {
                // The baseline is request 1: the first and the third probe meet a pause of the target.
                if (Set.of(2, 4).contains(requests.incrementAndGet())) {
                    Thread.sleep(2_200);
                }
                byte[] body = "{\"valid\":false}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            new ResourceConsumptionCheck().checkOperation(validate.context(), validate.baseline());

            assertThat(validate.findings()).as("findings").isEmpty();
        }
    }
}
