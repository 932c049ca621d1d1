package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The most common BOLA: {@code GET /api/orders} answers every user's orders, and {@code GET /api/orders/{id}}
 * any of them. That bob's own listing shows alice's order does not make it his to read.
 */
class AllOrdersListingScanTest {

    private static final String SPEC = TokenApi.spec(TokenApi.ORDERS);

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
        try (TokenApi api = new TokenApi(this::answer)) {
            return api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
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

    private TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("GET", "/api/orders")) {
            synchronized (orders) {
                return TokenApi.Answer.ok(new ArrayList<>(orders.values())); // the flaw: every user's orders
            }
        }
        if (call.is("POST", "/api/orders")) {
            if (call.body() == null || !call.body().path("item").isString()) {
                return new TokenApi.Answer(400, Map.of("error", "item required"));
            }
            return new TokenApi.Answer(201, order(call.user(), call.text("item", "")));
        }
        String id = call.itemOf("/api/orders");
        if (id != null && call.method().equals("GET")) {
            synchronized (orders) {
                Map<String, Object> order = orders.get(id);
                return order == null
                        ? TokenApi.Answer.notFound()
                        : TokenApi.Answer.ok(order); // the flaw: no owner check
            }
        }
        return null;
    }
}
