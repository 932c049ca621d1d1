package io.ventiapi.engine.synth;

import io.ventiapi.engine.plan.DependencyEdge;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import tools.jackson.databind.JsonNode;

/**
 * Real values seen in the target's responses, so later requests use ids that exist instead of guesses. Safe
 * for concurrent use.
 */
public final class HarvestedValues {

    private static final int MAX_DEPTH = 4;
    private static final int MAX_ARRAY_ITEMS = 5;
    private static final int MAX_VALUES_PER_KEY = 8;

    private final Map<String, Deque<String>> values = new ConcurrentHashMap<>();

    /**
     * Records the scalar fields of a response body of {@code producerId}, and the values its links point at.
     *
     * @param edges dependency edges; the link edges whose producer is {@code producerId} are followed
     */
    public void harvest(String producerId, JsonNode body, List<DependencyEdge> edges) {
        if (body == null) {
            return;
        }
        walk(producerId, body, 0);
        for (DependencyEdge edge : edges) {
            if (edge.producerId().equals(producerId)
                    && edge.reason() == DependencyEdge.Reason.LINK
                    && edge.producerField().startsWith("/")) {
                JsonNode value = body.at(edge.producerField());
                if (value.isValueNode()) {
                    remember("link:" + edge.producerId() + ":" + edge.producerField(), value.asString());
                }
            }
        }
    }

    /** The most recent value for the field {@code edge} names in its producer's responses. */
    public Optional<String> valueFor(DependencyEdge edge) {
        String key = edge.reason() == DependencyEdge.Reason.LINK
                ? "link:" + edge.producerId() + ":" + edge.producerField()
                : "op:" + edge.producerId() + ":" + edge.producerField();
        return latest(key);
    }

    /** The most recent value of any response field with this exact name. */
    public Optional<String> valueNamed(String field) {
        return latest("name:" + field);
    }

    private Optional<String> latest(String key) {
        Deque<String> deque = values.get(key);
        return deque == null ? Optional.empty() : Optional.ofNullable(deque.peekFirst());
    }

    private void walk(String producerId, JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < Math.min(node.size(), MAX_ARRAY_ITEMS); i++) {
                walk(producerId, node.get(i), depth + 1);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if ((value.isString() || value.isIntegralNumber())
                        && !value.asString().isEmpty()) {
                    // Only the top-level object or the items of a top-level list describe the produced resource.
                    if (depth <= 2) {
                        remember("op:" + producerId + ":" + field.getKey(), value.asString());
                    }
                    remember("name:" + field.getKey(), value.asString());
                } else {
                    walk(producerId, value, depth + 1);
                }
            }
        }
    }

    private void remember(String key, String value) {
        Deque<String> deque = values.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        deque.remove(value);
        deque.addFirst(value);
        while (deque.size() > MAX_VALUES_PER_KEY) {
            deque.pollLast();
        }
    }
}
