package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The most common BOLA: {@code GET /api/orders} answers every user's orders, and {@code GET /api/orders/{id}}
 * any of them. That bob's own listing shows alice's order does not make it his to read.
 */
class AllOrdersListingScanTest {

    private static final String SPEC = TokenApi.spec(TokenApi.ORDERS);

    private final ShopOrders orders = new ShopOrders();

    @Test
    void anOrderEveryoneSeesInTheListingIsStillReported(@TempDir Path dir) throws IOException {
        orders.add("alice", "teapot");
        orders.add("bob", "toaster");
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
            orders.add(i % 2 == 0 ? "alice" : "bob", "left by an earlier scan");
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

    private TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("GET", "/api/orders")) {
            return TokenApi.Answer.ok(orders.all()); // the flaw: every user's orders
        }
        if (call.is("POST", "/api/orders")) {
            return orders.create(call);
        }
        return orders.read(call, false); // the flaw: no owner check
    }
}
