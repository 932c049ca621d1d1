package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A marketplace where every member reads every product: the listing shows whole products, 20 a page, oldest
 * first, so the products the scan creates are never on the first page. Reading another member's product is by
 * design; at most it is reported FIRM, with the note that it may be shared.
 */
class SharedCatalogueScanTest {

    private static final String SPEC = TokenApi.spec("""
            /api/products:
              get:
                operationId: listProducts
                parameters:
                  - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
                responses: {'200': {description: a page of every member's products, oldest first}}
              post:
                operationId: createProduct
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [name]
                        properties:
                          name: {type: string, example: teapot}
                          price: {type: integer, example: 25}
                responses: {'201': {description: created}}
            /api/products/{productId}:
              get:
                operationId: getProduct
                parameters:
                  - {name: productId, in: path, required: true, schema: {type: integer}}
                responses: {'200': {description: the product}, '404': {description: not found}}
            """);

    private static final int PAGE = 20;

    private final Map<Integer, Map<String, Object>> products = new LinkedHashMap<>();
    private int nextId = 1;

    @Test
    void readingAnotherMembersProductIsAtMostFirm(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 30; i++) {
            product(i % 2 == 0 ? "alice" : "bob", "left by an earlier scan", 10 + i);
        }
        List<Finding> findings;
        try (TokenApi api = new TokenApi(this::answer)) {
            findings = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
        }
        assertThat(findings)
                .filteredOn(f -> f.ruleId().startsWith("access.bola"))
                .allSatisfy(f -> {
                    assertThat(f.confidence())
                            .as(
                                    "%s %s: %s",
                                    f.ruleId(), f.pathTemplate(), f.evidence().explanation())
                            .isEqualTo(Confidence.FIRM);
                    assertThat(f.evidence().explanation()).contains("shared by design");
                });
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("GET", "/api/products")) {
            int page = Math.max(1, parse(call.query().getOrDefault("page", "1")));
            List<Map<String, Object>> all = new ArrayList<>(products.values());
            int from = Math.min(all.size(), (page - 1) * PAGE);
            return TokenApi.Answer.ok(all.subList(from, Math.min(all.size(), from + PAGE)));
        }
        if (call.is("POST", "/api/products")) {
            int price = call.body() != null && call.body().path("price").isInt()
                    ? call.body().path("price").asInt()
                    : 1;
            return new TokenApi.Answer(201, product(call.user(), call.text("name", "teapot"), price));
        }
        String id = call.itemOf("/api/products");
        Map<String, Object> product = id == null ? null : products.get(parse(id));
        return product != null && call.method().equals("GET") ? TokenApi.Answer.ok(product) : null;
    }

    private Map<String, Object> product(String seller, String name, int price) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", nextId++);
        product.put("seller", seller);
        product.put("name", name);
        product.put("price", price);
        products.put((Integer) product.get("id"), product);
        return product;
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
