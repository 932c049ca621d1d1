package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The most common BOLA: {@code GET /api/orders} answers every user's orders, and {@code GET /api/orders/{id}}
 * any of them. That bob's own listing shows alice's order does not make it his to read.
 */
class AllOrdersListingScanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> PASSWORDS = Map.of("alice", "wonderland", "bob", "builder");

    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: Shop, version: 1.0.0}
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
                  responses:
                    '200': {description: order}
                    '404': {description: not found}
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
            """;

    private final Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);

    @Test
    void anOrderEveryoneSeesInTheListingIsStillReported(@TempDir Path dir) throws IOException {
        order("alice", "teapot");
        order("bob", "toaster");
        List<Finding> findings = scan(dir);
        assertThat(findings)
                .as("bob reads alice's order, which the all-orders listing shows him too")
                .anyMatch(f -> f.ruleId().equals("access.bola")
                        && f.method().equals("GET")
                        && f.pathTemplate().equals("/api/orders/{orderId}"));
    }

    @Test
    void sequentialIdsAreReportedWhenTheListingShowsEveryNeighbour(@TempDir Path dir) throws IOException {
        // What earlier scans leave behind: every id near the scan's own is listed, to alice and bob alike.
        for (int i = 0; i < 20; i++) {
            order(i % 2 == 0 ? "alice" : "bob", "left by an earlier scan");
        }
        List<Finding> findings = scan(dir);
        assertThat(findings)
                .as("alice reads the order bob created right after hers, by the next id")
                .anyMatch(f -> f.ruleId().equals("access.bola-enumeration")
                        && f.method().equals("GET")
                        && f.pathTemplate().equals("/api/orders/{orderId}"));
    }

    /** Alice and bob scan the shop, with the orders made so far. */
    private List<Finding> scan(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            return TestApiScan.scan(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    SPEC,
                    dir,
                    List.of(TestApiScan.ALICE, TestApiScan.BOB),
                    Map.of("alice", "user", "bob", "user"));
        } finally {
            server.stop(0);
        }
    }

    private Map<String, Object> order(String owner, String item) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", nextId.getAndIncrement());
        order.put("owner", owner);
        order.put("item", item);
        order.put("address", owner + "'s street 1");
        synchronized (orders) {
            orders.put(String.valueOf(order.get("id")), order);
        }
        return order;
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body = null;
        try {
            body = raw.length == 0 ? null : JSON.readTree(raw);
        } catch (RuntimeException e) {
            body = null;
        }
        if (method.equals("POST") && path.equals("/api/login")) {
            String user = body == null ? "" : body.path("username").asString("");
            String password = body == null ? "" : body.path("password").asString("");
            if (PASSWORDS.containsKey(user) && PASSWORDS.get(user).equals(password)) {
                respond(ex, 200, Map.of("token", "tok-" + user + "-0123456789abcdef"));
            } else {
                respond(ex, 401, Map.of("error", "bad credentials"));
            }
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String user = null;
        for (String known : PASSWORDS.keySet()) {
            if (("Bearer tok-" + known + "-0123456789abcdef").equals(header)) {
                user = known;
            }
        }
        if (user == null) {
            respond(ex, 401, Map.of("error", "unauthorized"));
            return;
        }
        if (path.equals("/api/orders") && method.equals("GET")) {
            synchronized (orders) {
                respond(ex, 200, new ArrayList<>(orders.values())); // the flaw: every user's orders
            }
        } else if (path.equals("/api/orders") && method.equals("POST")) {
            if (body == null || !body.path("item").isString()) {
                respond(ex, 400, Map.of("error", "item required"));
                return;
            }
            respond(ex, 201, order(user, body.path("item").asString()));
        } else if (path.startsWith("/api/orders/") && method.equals("GET")) {
            Map<String, Object> order;
            synchronized (orders) {
                order = orders.get(path.substring("/api/orders/".length()));
            }
            if (order == null) {
                respond(ex, 404, Map.of("error", "not found"));
            } else {
                respond(ex, 200, order); // the flaw: no owner check
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
