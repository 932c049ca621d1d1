package io.ventiapi.engine.check.injection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.OneOperationTarget;
import io.ventiapi.engine.plan.ParameterLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stalls that do not follow the delay asked for are not injection. (That a delay which does follow it is
 * confirmed is shown on the test API: {@code injection.sql-time} and {@code injection.os-command-time}.)
 */
class TimeBasedConfirmationTest {

    static final String SPEC = """
            openapi: 3.0.3
            info: {title: search, version: '1'}
            paths:
              /search:
                get:
                  operationId: search
                  parameters:
                    - {name: q, in: query, required: true, schema: {type: string}, example: abc}
                  responses: {'200': {description: results}}
            """;

    @TempDir
    Path workDir;

    @Test
    void aTargetThatStallsEveryOtherRequestIsNotInjectable() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (OneOperationTarget search = new OneOperationTarget(workDir, SPEC, exchange -> {
            try (exchange) {
                if (requests.incrementAndGet() % 2 == 0) {
                    Thread.sleep(2_200); // a pause of the target, whatever the input
                }
                byte[] body = "{\"results\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            // The baseline was request 1; of the probes, the first stalls, the second not, the third again, …
            var confirmed = TimeBasedConfirmation.confirm(
                    search.context(),
                    search.baseline(),
                    new InjectionPoint(ParameterLocation.QUERY, "q", "abc", false),
                    delay -> "abc;sleep " + delay);

            assertThat(confirmed).as("a 2 s stall on every other request").isEmpty();
        }
    }
}
