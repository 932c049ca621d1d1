package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access checks compare users of one role: an administrator may edit, reset and read anyone's account and
 * orders, and that is no flaw, whether admin is the first identity given or the last. A planted BOLA is found
 * either way.
 */
class IdentityOrderScanTest {

    private static final String SPEC = TokenApi.spec("""
            /api/users:
              get:
                operationId: listUsers
                responses: {'200': {description: every user's id and name}}
            /api/users/{userId}:
              get:
                operationId: getUser
                parameters:
                  - {name: userId, in: path, required: true, schema: {type: integer}}
                responses: {'200': {description: the account}, '404': {description: not found}}
              patch:
                operationId: updateUser
                parameters:
                  - {name: userId, in: path, required: true, schema: {type: integer}}
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          email: {type: string, format: email, example: someone@example.com}
                responses: {'200': {description: the account}, '404': {description: not found}}
            /api/users/{userId}/password:
              put:
                operationId: setPassword
                parameters:
                  - {name: userId, in: path, required: true, schema: {type: integer}}
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [password]
                        properties:
                          password: {type: string, example: Secret-123}
                responses: {'200': {description: changed}, '404': {description: not found}}
            """ + TokenApi.ORDERS);

    private static final Identity[] ADMIN_FIRST = {TestApiScan.ADMIN, TestApiScan.ALICE, TestApiScan.BOB};
    private static final Identity[] ADMIN_LAST = {TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN};

    @Test
    void anAdministratorListedFirstIsNoAttacker(@TempDir Path dir) throws IOException {
        assertThat(accessFindings(scan(dir, false, ADMIN_FIRST))).isEmpty();
    }

    @Test
    void anAdministratorListedLastIsNoVictim(@TempDir Path dir) throws IOException {
        assertThat(accessFindings(scan(dir, false, ADMIN_LAST))).isEmpty();
    }

    @Test
    void aPlantedBolaIsFoundWithTheAdministratorListedFirst(@TempDir Path dir) throws IOException {
        assertThat(scan(dir, true, ADMIN_FIRST)).anyMatch(IdentityOrderScanTest::isOrderBola);
    }

    @Test
    void aPlantedBolaIsFoundWithTheAdministratorListedLast(@TempDir Path dir) throws IOException {
        assertThat(scan(dir, true, ADMIN_LAST)).anyMatch(IdentityOrderScanTest::isOrderBola);
    }

    private static boolean isOrderBola(Finding f) {
        return f.ruleId().equals("access.bola")
                && f.method().equals("GET")
                && f.pathTemplate().equals("/api/orders/{orderId}");
    }

    private static List<String> accessFindings(List<Finding> findings) {
        return findings.stream()
                .filter(f -> f.ruleId().startsWith("access."))
                .map(f -> f.confidence() + " " + f.ruleId() + " " + f.method() + " " + f.pathTemplate() + ": "
                        + f.evidence().explanation())
                .toList();
    }

    private static List<Finding> scan(Path dir, boolean plantedBola, Identity... identities) throws IOException {
        Shop shop = new Shop(plantedBola);
        try (TokenApi api = new TokenApi(shop.passwords, shop::answer)) {
            return api.scan(dir, SPEC, identities);
        }
    }

    /** Users edit only themselves and read only their own orders; admin may do both for anyone. */
    private static final class Shop {

        private static final Map<String, Integer> USER_IDS = Map.of("admin", 1, "alice", 7, "bob", 42);

        final Map<String, String> passwords = TokenApi.accounts();
        private final boolean plantedBola;
        private final Map<String, String> emails = new LinkedHashMap<>();
        private final Map<Integer, Map<String, Object>> orders = new LinkedHashMap<>();
        private int nextOrder = 100;

        Shop(boolean plantedBola) {
            this.plantedBola = plantedBola;
            USER_IDS.keySet().forEach(user -> emails.put(user, user + "@shop.example"));
            // Interleaved owners: the neighbours of anyone's order are the others' orders.
            for (int i = 0; i < 9; i++) {
                order(List.of("admin", "alice", "bob").get(i % 3), "seeded");
            }
        }

        TokenApi.Answer answer(TokenApi.Call call) {
            boolean admin = call.user().equals("admin");
            if (call.is("GET", "/api/users")) {
                return TokenApi.Answer.ok(USER_IDS.entrySet().stream()
                        .map(e -> Map.of("id", e.getValue(), "username", e.getKey()))
                        .toList());
            }
            String order = call.itemOf("/api/orders");
            if (call.is("GET", "/api/orders")) {
                return TokenApi.Answer.ok(orders.values().stream()
                        .filter(o -> o.get("owner").equals(call.user()))
                        .toList());
            }
            if (call.is("POST", "/api/orders")) {
                return new TokenApi.Answer(201, order(call.user(), call.text("item", "kettle")));
            }
            if (order != null && call.method().equals("GET")) {
                Map<String, Object> found = orders.get(parse(order));
                boolean allowed = found != null
                        && (plantedBola || admin || found.get("owner").equals(call.user()));
                return allowed ? TokenApi.Answer.ok(found) : TokenApi.Answer.notFound();
            }
            String account = userOf(call.path());
            if (account == null || !(admin || account.equals(call.user()))) {
                return TokenApi.Answer.notFound();
            }
            if (call.path().endsWith("/password") && call.method().equals("PUT")) {
                String password = call.text("password", "");
                if (password.isEmpty()) {
                    return new TokenApi.Answer(400, Map.of("error", "password required"));
                }
                passwords.put(account, password);
                return TokenApi.Answer.ok(Map.of("message", "password changed"));
            }
            if (call.method().equals("PATCH")) {
                emails.put(account, call.text("email", emails.get(account)));
            } else if (!call.method().equals("GET")) {
                return new TokenApi.Answer(405, Map.of("error", "method not allowed"));
            }
            return TokenApi.Answer.ok(
                    Map.of("id", USER_IDS.get(account), "username", account, "email", emails.get(account)));
        }

        private Map<String, Object> order(String owner, String item) {
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", nextOrder++);
            order.put("owner", owner);
            order.put("item", item);
            orders.put((Integer) order.get("id"), order);
            return order;
        }

        /** The account {@code /api/users/{id}} or {@code /api/users/{id}/password} names. */
        private static String userOf(String path) {
            var matcher = java.util.regex.Pattern.compile("/api/users/(\\d+)(/password)?")
                    .matcher(path);
            if (!matcher.matches()) {
                return null;
            }
            int id = Integer.parseInt(matcher.group(1));
            return USER_IDS.entrySet().stream()
                    .filter(e -> e.getValue() == id)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
        }

        private static int parse(String id) {
            try {
                return Integer.parseInt(id);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
