package io.ventiapi.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from files and URLs, JSON and YAML, several files, and clear refusals. */
class SpecLoaderTest {

    @TempDir
    Path dir;

    private final SpecLoader loader = new SpecLoader();

    @Test
    void loadsAMultiFileDocumentFromAUrl() throws IOException {
        Files.writeString(dir.resolve("main.yaml"), """
                openapi: 3.0.3
                info: {title: split, version: '1'}
                paths:
                  /things/{thingId}:
                    $ref: 'paths/thing.yaml'
                """);
        Files.createDirectories(dir.resolve("paths"));
        Files.writeString(dir.resolve("paths/thing.yaml"), """
                get:
                  operationId: getThing
                  parameters:
                    - {name: thingId, in: path, required: true, schema: {type: integer}}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '../schemas.yaml#/Thing'}
                """);
        Files.writeString(dir.resolve("schemas.yaml"), """
                Thing:
                  type: object
                  properties:
                    id: {type: integer}
                """);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex;
                    InputStream in = Files.newInputStream(
                            dir.resolve(ex.getRequestURI().getPath().substring(1)))) {
                byte[] body = in.readAllBytes();
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } catch (IOException e) {
                ex.sendResponseHeaders(404, -1);
            }
        });
        server.start();
        try {
            LoadedSpec spec =
                    loader.load("http://127.0.0.1:" + server.getAddress().getPort() + "/main.yaml");
            ScanPlan plan = new OperationPlanner().plan(spec);

            assertThat(plan.operations()).singleElement().satisfies(op -> {
                assertThat(op.id()).isEqualTo("getThing");
                assertThat(plan.schemas()
                                .resolve(op.responses().getFirst().schema())
                                .getProperties())
                        .containsKey("id");
            });
        } finally {
            server.stop(0);
        }
    }

    @Test
    void convertsSwagger2() throws IOException {
        Path file = dir.resolve("swagger.json");
        Files.writeString(file, """
                {"swagger": "2.0", "info": {"title": "old", "version": "1"}, "basePath": "/v1",
                 "paths": {"/pets": {"post": {"operationId": "addPet", "consumes": ["application/json"],
                   "parameters": [{"in": "body", "name": "pet", "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}],
                   "responses": {"200": {"description": "ok"}}}}}}
                """, StandardCharsets.UTF_8);

        ScanPlan plan = new OperationPlanner().plan(loader.load(file.toString()));

        assertThat(plan.operations())
                .singleElement()
                .satisfies(op -> assertThat(op.body().mediaType()).isEqualTo("application/json"));
    }

    @Test
    void aDocumentOnDiskReferringToAUrlIsRefusedWithoutFetchingIt() throws IOException {
        var hits = new AtomicInteger();
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] body = "type: object\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            var url = "http://127.0.0.1:" + server.getAddress().getPort() + "/pet.yaml";
            for (String target : List.of(url, "file:///etc/hostname")) {
                Path document = petsReferring(target, "remote-ref.yaml");

                assertThatThrownBy(() -> loader.load(document.toString()))
                        .isInstanceOf(SpecRefusedException.class)
                        .hasMessageContaining("it refers to " + target);
            }
            // Nor through a file it refers to.
            Files.writeString(dir.resolve("schemas.yaml"), "Pet: {$ref: '" + url + "'}\n");
            Path document = petsReferring("schemas.yaml#/Pet", "two-files.yaml");
            assertThatThrownBy(() -> loader.load(document.toString()))
                    .isInstanceOf(SpecRefusedException.class)
                    .hasMessageContaining("it refers to " + url);
            assertThat(hits).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    /** A document whose one operation's answer is the schema at {@code ref}, written as {@code name}. */
    private Path petsReferring(String ref, String name) throws IOException {
        return Files.writeString(dir.resolve(name), """
                openapi: 3.0.3
                info: {title: x, version: '1'}
                paths:
                  /pets:
                    get:
                      responses:
                        '200':
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: '%s'}
                """.formatted(ref));
    }

    @Test
    void refusesWhatIsNotAnOpenApiDocument() throws IOException {
        Path notOpenApi = dir.resolve("compose.yaml");
        Files.writeString(notOpenApi, "services:\n  web:\n    image: nginx\n");

        assertThatThrownBy(() -> loader.load(notOpenApi.toString()))
                .isInstanceOf(SpecRefusedException.class)
                .hasMessageContaining("compose.yaml")
                .hasMessageContaining("neither an 'openapi' nor a 'swagger' version");
        assertThatThrownBy(() -> loader.load(dir.resolve("absent.json").toString()))
                .hasMessageContaining("cannot read the API description")
                .hasMessageContaining("no such file");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(
                broken,
                "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: [oops\n");
        assertThatThrownBy(() -> loader.load(broken.toString()))
                .hasMessageContaining("not valid JSON or YAML")
                .hasMessageContaining("line 6");
    }

    @Test
    void saysWhyAUrlCannotBeRead() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int closedPort = port;
        assertThatThrownBy(() -> loader.load("http://127.0.0.1:" + closedPort + "/openapi.yaml"))
                .isInstanceOf(SpecRefusedException.class)
                .hasMessageContaining("cannot read the API description")
                .hasMessageContaining("connection refused");
    }
}
