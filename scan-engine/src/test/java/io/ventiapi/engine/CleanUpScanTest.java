package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clean-up removes what the scan created, as the identity that created it, and nothing else: on an API where only
 * an object's owner (or an administrator) deletes it, a POST that answers with an existing object of someone else
 * (get-or-create) does not make that object the scan's.
 */
class CleanUpScanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> PASSWORDS =
            Map.of("alice", "wonderland", "bob", "builder", "admin", "admin-s3cret");

    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: Tags and notes, version: 1.0.0}
            security:
              - bearerAuth: []
            paths:
              /api/login:
                post:
                  operationId: login
                  security: []
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            username: {type: string, example: alice}
                            password: {type: string, example: wonderland}
                  responses: {'200': {description: token}}
              /api/tags:
                post:
                  operationId: tag
                  description: Gets the tag of that label, creating it if there is none.
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [label]
                          properties:
                            label: {type: string, example: urgent}
                  responses: {'200': {description: the tag}}
              /api/tags/{tagId}:
                get:
                  operationId: getTag
                  parameters:
                    - {name: tagId, in: path, required: true, schema: {type: integer}}
                  responses: {'200': {description: tag}, '404': {description: not found}}
                delete:
                  operationId: deleteTag
                  parameters:
                    - {name: tagId, in: path, required: true, schema: {type: integer}}
                  responses: {'204': {description: deleted}, '403': {description: not yours}}
              /api/notes:
                post:
                  operationId: createNote
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [text]
                          properties:
                            text: {type: string, example: groceries}
                  responses: {'201': {description: 'the note, as {"data": {...}}'}}
              /api/notes/{noteId}:
                get:
                  operationId: getNote
                  parameters:
                    - {name: noteId, in: path, required: true, schema: {type: integer}}
                  responses: {'200': {description: note}, '404': {description: not found}}
                delete:
                  operationId: deleteNote
                  parameters:
                    - {name: noteId, in: path, required: true, schema: {type: integer}}
                  responses: {'204': {description: deleted}, '404': {description: not found}}
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
            """;

    /** Objects by id: owner and label or text. */
    private final Map<Integer, Map<String, Object>> tags = new ConcurrentHashMap<>();

    private final Map<Integer, Map<String, Object>> notes = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);

    @Test
    void aSafeScanDeletesWhatEachIdentityCreatedAndNotACustomersObject(@TempDir Path dir) throws IOException {
        int customers = nextId.getAndIncrement();
        tags.put(customers, Map.of("id", customers, "owner", "carol", "label", "urgent"));

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            TestApiScan.scan(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    SPEC,
                    dir,
                    List.of(TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN),
                    TestApiScan.ROLES,
                    ScanProfile.SAFE);
        } finally {
            server.stop(0);
        }

        assertThat(tags).as("carol's tag, which the tag POST answered with").containsKey(customers);
        assertThat(tags.values())
                .as("tags the scan's identities created")
                .allMatch(tag -> tag.get("owner").equals("carol"));
        assertThat(notes)
                .as("notes the scan created, answered inside a data envelope")
                .isEmpty();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        JsonNode body = null;
        try {
            byte[] raw = ex.getRequestBody().readAllBytes();
            body = raw.length == 0 ? null : JSON.readTree(raw);
        } catch (RuntimeException e) {
            body = null;
        }
        if (method.equals("POST") && path.equals("/api/login")) {
            String user = body == null ? "" : body.path("username").asString("");
            if (PASSWORDS.containsKey(user)
                    && PASSWORDS.get(user).equals(body.path("password").asString(""))) {
                respond(ex, 200, Map.of("token", "tok-" + user + "-0123456789abcdef"));
            } else {
                respond(ex, 401, Map.of("error", "bad credentials"));
            }
            return;
        }
        String user = null;
        for (String known : PASSWORDS.keySet()) {
            if (("Bearer tok-" + known + "-0123456789abcdef")
                    .equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                user = known;
            }
        }
        if (user == null) {
            respond(ex, 401, Map.of("error", "unauthorized"));
            return;
        }
        if (path.equals("/api/tags") && method.equals("POST")) {
            String label = body == null ? "" : body.path("label").asString("");
            var existing = tags.values().stream()
                    .filter(tag -> tag.get("label").equals(label))
                    .findFirst();
            if (existing.isPresent()) {
                respond(ex, 200, existing.get());
                return;
            }
            int id = nextId.getAndIncrement();
            tags.put(id, Map.of("id", id, "owner", user, "label", label));
            respond(ex, 200, tags.get(id));
        } else if (path.equals("/api/notes") && method.equals("POST")) {
            int id = nextId.getAndIncrement();
            String text = body == null ? "" : body.path("text").asString("");
            notes.put(id, Map.of("id", id, "owner", user, "text", text));
            respond(ex, 201, Map.of("data", notes.get(id)));
        } else if (path.startsWith("/api/tags/") || path.startsWith("/api/notes/")) {
            var objects = path.startsWith("/api/tags/") ? tags : notes;
            Integer id;
            try {
                id = Integer.valueOf(path.substring(path.lastIndexOf('/') + 1));
            } catch (NumberFormatException e) {
                respond(ex, 404, Map.of("error", "not found"));
                return;
            }
            var object = objects.get(id);
            if (object == null || !(object.get("owner").equals(user) || user.equals("admin"))) {
                respond(ex, 404, Map.of("error", "not found"));
            } else if (method.equals("DELETE")) {
                objects.remove(id);
                ex.sendResponseHeaders(204, -1);
                ex.close();
            } else {
                respond(ex, 200, object);
            }
        } else {
            respond(ex, 404, Map.of("error", "not found"));
        }
    }

    private static void respond(HttpExchange ex, int status, Object json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
