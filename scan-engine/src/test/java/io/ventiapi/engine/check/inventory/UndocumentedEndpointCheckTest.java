package io.ventiapi.engine.check.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.check.OneOperationTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft-404 answers that name the path they were asked for: a random control path is longer than {@code /.env},
 * so its answer differs in length, but it says the same thing.
 */
class UndocumentedEndpointCheckTest {

    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: Catalog, version: 1.0.0}
            paths:
              /api/products:
                get:
                  operationId: listProducts
                  responses: {'200': {description: products}}
            """;

    @TempDir
    Path workDir;

    @Test
    void anErrorEnvelopeAnsweredWith200IsNoLiveEndpoint() throws IOException {
        List<Finding> findings =
                scan(path -> "{\"code\":404,\"message\":\"no route for GET " + path + "\"}", "application/json");

        assertThat(findings)
                .as("unknown routes answer 200 {\"code\":404,\"message\":\"no route for GET <path>\"}")
                .isEmpty();
    }

    @Test
    void aPageThatOnlyEchoesThePathIsNoLiveEndpoint() throws IOException {
        List<Finding> findings = scan(path -> "<pre>Cannot GET " + path + "</pre>", "text/html");

        assertThat(findings)
                .as("unknown routes answer 200 \"Cannot GET <path>\", without a word of refusal")
                .isEmpty();
    }

    @Test
    void aRealEndpointAmongEchoingSoft404sIsStillFound() throws IOException {
        List<Finding> findings = scan(
                path -> path.equals("/actuator/env")
                        ? "{\"activeProfiles\":[\"prod\"],\"propertySources\":[{\"name\":\"systemEnvironment\"}]}"
                        : "{\"code\":404,\"message\":\"no route for GET " + path + "\"}",
                "application/json");

        assertThat(findings)
                .extracting(Finding::pathTemplate)
                .as("only the one path that serves something")
                .containsExactly("/actuator/env");
    }

    /** Runs the check against an API whose one documented operation works and every other path answers 200. */
    private List<Finding> scan(Function<String, String> otherPaths, String contentType) throws IOException {
        try (OneOperationTarget target = new OneOperationTarget(workDir, SPEC, ex -> {
            String path = ex.getRequestURI().getPath();
            respond(
                    ex,
                    path.equals("/api/products") ? "[{\"id\":1,\"name\":\"kettle\"}]" : otherPaths.apply(path),
                    path.equals("/api/products") ? "application/json" : contentType);
        })) {
            new UndocumentedEndpointCheck().checkTarget(target.context());
            return target.findings();
        }
    }

    private static void respond(HttpExchange ex, String body, String contentType) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }
}
