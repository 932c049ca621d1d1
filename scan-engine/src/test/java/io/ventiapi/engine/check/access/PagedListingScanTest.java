package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secure shop whose listing shows a page of the caller's orders, sorted by item, with their total: alice's
 * orders next to the one she reads are hers, though her first page does not show them. Reading them is no
 * enumeration of someone else's.
 */
class PagedListingScanTest {

    private static final int PAGE = 5;
    private static final String SPEC = TokenApi.spec(TokenApi.ORDERS);

    private final ShopOrders orders = new ShopOrders();
    private boolean ownerChecked = true;

    @Test
    void ordersOfTheCallersOwnThatItsFirstPageDoesNotShowAreNotReportedAsAnothersOrders(@TempDir Path dir)
            throws IOException {
        // Alice's earlier orders, whose items sort her page apart from their ids; then bob's.
        for (int i = 0; i < 30; i++) {
            orders.add("alice", "item " + (char) ('a' + (i * 7) % 26) + i);
        }
        for (int i = 0; i < 10; i++) {
            orders.add("bob", "item " + i);
        }

        List<Finding> findings;
        try (TokenApi api = new TokenApi(this::answer)) {
            findings = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
        }

        assertThat(findings)
                .as("every order is read only by its owner")
                .noneMatch(f -> f.ruleId().startsWith("access.bola"));
    }

    @Test
    void withoutTheOwnerCheckAnotherUsersOrderByTheNextIdIsStillReported(@TempDir Path dir) throws IOException {
        ownerChecked = false;
        for (int i = 0; i < 30; i++) {
            orders.add(i % 2 == 0 ? "alice" : "bob", "item " + (char) ('a' + (i * 7) % 26) + i);
        }

        List<Finding> findings;
        try (TokenApi api = new TokenApi(this::answer)) {
            findings = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
        }

        assertThat(findings)
                .as("alice reads the order bob created right after hers")
                .anyMatch(f -> f.ruleId().equals("access.bola-enumeration")
                        && f.pathTemplate().equals("/api/orders/{orderId}")
                        && f.evidence().explanation().contains("right after"));
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("GET", "/api/orders")) {
            List<Map<String, Object>> own = orders.all().stream()
                    .filter(order -> order.get("owner").equals(call.user()))
                    .sorted(Comparator.comparing(order -> (String) order.get("item")))
                    .toList();
            return TokenApi.Answer.ok(Map.of("items", own.subList(0, Math.min(PAGE, own.size())), "total", own.size()));
        }
        if (call.is("POST", "/api/orders")) {
            return orders.create(call);
        }
        return orders.read(call, ownerChecked);
    }
}
