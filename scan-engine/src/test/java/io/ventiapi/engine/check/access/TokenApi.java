package io.ventiapi.engine.check.access;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small API served for access-control scans: alice and bob (role user) and admin (role admin), the identities
 * of {@link TestApiScan}, log in at {@code POST /api/login} for a bearer token; every other request of a
 * logged-in user goes to the test's {@link Routes}, one at a time, and anonymous ones get 401.
 */
final class TokenApi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers the requests of logged-in users; called one request at a time. */
    @FunctionalInterface
    interface Routes {
        Answer answer(Call call);
    }

    /** A logged-in user's request. */
    record Call(String user, String method, String path, Map<String, String> query, JsonNode body) {

        boolean is(String method, String path) {
            return this.method.equals(method) && this.path.equals(path);
        }

        /** The last segment when the path is the collection followed by one, else null. */
        String itemOf(String collection) {
            String rest = path.startsWith(collection + "/") ? path.substring(collection.length() + 1) : "";
            return rest.isEmpty() || rest.contains("/") ? null : rest;
        }

        /** A string property of the body, or the default. */
        String text(String property, String orElse) {
            return body != null && body.path(property).isString()
                    ? body.path(property).asString()
                    : orElse;
        }
    }

    /** A JSON answer (no body when {@code json} is null), with headers of its own. */
    record Answer(int status, Object json, Map<String, String> headers) {

        Answer(int status, Object json) {
            this(status, json, Map.of());
        }

        static Answer ok(Object json) {
            return new Answer(200, json);
        }

        static Answer notFound() {
            return new Answer(404, Map.of("error", "not found"));
        }
    }

    private final Map<String, String> passwords;
    private final HttpServer server;

    TokenApi(Routes routes) throws IOException {
        this(accounts(), routes);
    }

    /** @param passwords the password of each account, which the routes may change */
    TokenApi(Map<String, String> passwords, Routes routes) throws IOException {
        this.passwords = passwords;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, routes));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The accounts of {@link TestApiScan}'s identities with their passwords, in a map the API may change. */
    static Map<String, String> accounts() {
        return new ConcurrentHashMap<>(Map.of("alice", "wonderland", "bob", "builder", "admin", "admin-s3cret"));
    }

    /** A shop's orders: listed, created with an item, read by id (to put in {@link #spec}). */
    static final String ORDERS = """
            /api/orders:
              get:
                operationId: listOrders
                responses: {'200': {description: the caller's orders}}
              post:
                operationId: createOrder
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [item]
                        properties:
                          item: {type: string, example: kettle}
                responses: {'201': {description: created}}
            /api/orders/{orderId}:
              get:
                operationId: getOrder
                parameters:
                  - {name: orderId, in: path, required: true, schema: {type: integer}}
                responses: {'200': {description: the order}, '404': {description: not found}}
            """;

    /**
     * An OpenAPI document with the login operation, bearer security by default, and the test's own paths (YAML
     * written as at the top level; indented here to sit under {@code paths}).
     */
    static String spec(String paths) {
        return """
                openapi: 3.0.3
                info: {title: Access test API, version: 1.0.0}
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
                """ + paths.indent(2) + """
                components:
                  securitySchemes:
                    bearerAuth: {type: http, scheme: bearer}
                """;
    }

    /** Scans this API, described by the document, as the identities in the order given, with their roles. */
    List<Finding> scan(Path dir, String spec, Identity... identities) throws IOException {
        return scan(dir, spec, ScanProfile.STANDARD, identities);
    }

    /** As {@link #scan(Path, String, Identity...)}, at the given profile. */
    List<Finding> scan(Path dir, String spec, ScanProfile profile, Identity... identities) throws IOException {
        return TestApiScan.scan(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                spec,
                dir,
                List.of(identities),
                TestApiScan.ROLES,
                profile);
    }

    /** As {@link #scan(Path, String, ScanProfile, Identity...)}, with the whole result and the events. */
    TestApiScan.Outcome run(Path dir, String spec, ScanProfile profile, Identity... identities) throws IOException {
        return TestApiScan.run(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                spec,
                dir,
                List.of(identities),
                TestApiScan.ROLES,
                profile);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex, Routes routes) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body;
        try {
            body = raw.length == 0 ? null : JSON.readTree(raw);
        } catch (RuntimeException e) {
            body = null;
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (method.equals("POST") && path.equals("/api/login")) {
            String user = body == null ? "" : body.path("username").asString("");
            String password = body == null ? "" : body.path("password").asString("");
            respond(
                    ex,
                    password.equals(passwords.get(user))
                            ? Answer.ok(Map.of("token", token(user)))
                            : new Answer(401, Map.of("error", "bad credentials")));
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String user = passwords.keySet().stream()
                .filter(known -> ("Bearer " + token(known)).equals(header))
                .findFirst()
                .orElse(null);
        if (user == null) {
            respond(ex, new Answer(401, Map.of("error", "unauthorized")));
            return;
        }
        Call call = new Call(user, method, path, query(ex.getRequestURI().getRawQuery()), body);
        Answer answer;
        synchronized (this) {
            answer = routes.answer(call);
        }
        respond(ex, answer == null ? Answer.notFound() : answer);
    }

    private static String token(String user) {
        return "tok-" + user + "-0123456789abcdef";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(
                            pair.substring(0, eq),
                            java.net.URLDecoder.decode(
                                    pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void respond(HttpExchange ex, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> ex.getResponseHeaders().set(name, value));
        if (answer.json() == null) {
            ex.sendResponseHeaders(answer.status(), -1);
            ex.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(answer.json());
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(answer.status(), bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
