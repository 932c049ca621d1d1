package io.ventiapi.engine.check.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.OneOperationTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow answers that do not come back every time the same run of letters is sent are not ReDoS. (A real one is
 * found on the test API and in {@code ThirdPartyPatternsTest}.) A burst served in full is reported as what it
 * measured, and the rate-limit headers of common gateways count as a limit.
 */
class ResourceConsumptionCheckTest {

    private static final String ITEMS = """
            openapi: 3.0.3
            info: {title: items, version: '1'}
            paths:
              /api/items:
                get:
                  operationId: listItems
                  responses: {'200': {description: items}}
            """;

    @TempDir
    Path workDir;

    @Test
    void aBurstServedInFullIsReportedAsNoLimitSeenNotAsNoLimit() throws Exception {
        List<Finding> findings = burst(Map.of());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity())
                    .as("50 requests at the scan's own pace say nothing of per-minute or per-hour limits")
                    .isEqualTo(Severity.LOW);
            assertThat(f.title()).isEqualTo("No rate limit seen in a burst");
            assertThat(f.evidence().explanation())
                    .startsWith("No limit seen within 50 requests at ")
                    .contains("per minute or per hour");
        });
    }

    @Test
    void theRateLimitHeadersOfCommonGatewaysAreALimit() throws Exception {
        for (Map<String, String> headers : List.of(
                Map.of("x-ms-ratelimit-remaining-subscription-reads", "11999"),
                Map.of("RateLimit-Policy", "100;w=60"),
                Map.of("X-Shopify-Shop-Api-Call-Limit", "1/40"),
                Map.of("X-App-Rate-Limit", "100:120"))) {
            assertThat(burst(headers)).as("answers with %s", headers).isEmpty();
        }
    }

    /** The no-rate-limit findings for GET /api/items, answered 200 with these headers every time. */
    private List<Finding> burst(Map<String, String> headers) throws Exception {
        try (OneOperationTarget items = new OneOperationTarget(workDir, ITEMS, exchange -> {
            try (exchange) {
                byte[] body = "[{\"id\":1}]".getBytes(StandardCharsets.UTF_8);
                headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        })) {
            new ResourceConsumptionCheck().checkTarget(items.context());
            return items.findings().stream()
                    .filter(f -> f.ruleId().equals("resource.no-rate-limit"))
                    .toList();
        }
    }

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
