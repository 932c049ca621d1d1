package io.ventiapi.engine.check.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The orders of a {@link TokenApi#ORDERS} shop, numbered from 100 in the order made, and the answers its
 * tests share: creating one, and reading one by id.
 */
final class ShopOrders {

    private final Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);

    /** An order of {@code owner}'s for {@code item}, with the next id. */
    Map<String, Object> add(String owner, String item) {
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

    /** Every order, oldest first. */
    List<Map<String, Object>> all() {
        synchronized (orders) {
            return new ArrayList<>(orders.values());
        }
    }

    /** {@code POST /api/orders}: an order of the caller's for the item sent. */
    TokenApi.Answer create(TokenApi.Call call) {
        if (call.body() == null || !call.body().path("item").isString()) {
            return new TokenApi.Answer(400, Map.of("error", "item required"));
        }
        return new TokenApi.Answer(201, add(call.user(), call.text("item", "")));
    }

    /**
     * {@code GET /api/orders/{orderId}}: the order, to its owner only when {@code ownerChecked}; null for any other
     * request.
     */
    TokenApi.Answer read(TokenApi.Call call, boolean ownerChecked) {
        String id = call.itemOf("/api/orders");
        if (id == null || !call.method().equals("GET")) {
            return null;
        }
        synchronized (orders) {
            Map<String, Object> order = orders.get(id);
            return order == null || (ownerChecked && !order.get("owner").equals(call.user()))
                    ? TokenApi.Answer.notFound()
                    : TokenApi.Answer.ok(order);
        }
    }
}
