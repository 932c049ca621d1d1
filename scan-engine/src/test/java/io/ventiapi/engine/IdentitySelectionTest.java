package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.identity.IdentityParser;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several identities in one scan: each operation is exercised as the identity its security scheme asks for, so
 * a flaw behind an API key is found even when the first identity is a bearer token.
 */
class IdentitySelectionTest {

    @TempDir
    Path dir;

    @Test
    void sendsEachOperationAsTheIdentityItsSchemeAsksFor() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/reports", ex -> {
            // Planted flaw: any X-API-Key value is accepted, but one must be present.
            answer(ex, ex.getRequestHeaders().containsKey("X-API-Key"));
        });
        server.createContext(
                "/profile",
                ex -> answer(ex, "Bearer t0ken".equals(ex.getRequestHeaders().getFirst("Authorization"))));
        server.start();
        try {
            Path spec = dir.resolve("two-schemes.yaml");
            Files.writeString(spec, """
                    openapi: 3.0.3
                    info: {title: two schemes, version: '1'}
                    paths:
                      /reports:
                        get:
                          security: [{key: []}]
                          responses:
                            '200': {description: ok, content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}}
                      /profile:
                        get:
                          security: [{bearer: []}]
                          responses:
                            '200': {description: ok, content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}}
                    components:
                      securitySchemes:
                        key: {type: apiKey, in: header, name: X-API-Key}
                        bearer: {type: http, scheme: bearer}
                    """);
            ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(spec.toString()));
            ScanRequest request = new ScanRequest(
                    "two-identities",
                    plan,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    List.of(
                            IdentityParser.parse("type=bearer,token=t0ken"),
                            IdentityParser.parse("type=apikey,name=X-API-Key,value=k3y")),
                    ScanProfile.STANDARD,
                    new ExecutionLimits(4, 0, 500, Duration.ofMinutes(1), Duration.ofSeconds(10)),
                    null);

            ScanResult result = new ScanEngine(BuiltInChecks.all()).run(request, event -> {});

            assertThat(result.findings())
                    .extracting(f -> f.ruleId() + " " + f.pathTemplate())
                    .containsExactly("auth.invalid-token /reports");
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange ex, boolean allowed) throws IOException {
        try (ex) {
            byte[] body = (allowed ? "{\"ok\":true}" : "{\"error\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("RateLimit-Policy", "100;w=60"); // not an API4 test
            ex.sendResponseHeaders(allowed ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
        }
    }
}
