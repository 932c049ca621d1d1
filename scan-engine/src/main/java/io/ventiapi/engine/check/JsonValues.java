package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Small helpers over JSON response bodies shared by the access-control checks. */
public final class JsonValues {

    private JsonValues() {}

    /** Every scalar value (as text) anywhere in the body, up to a modest depth. */
    public static Set<String> scalars(ProbeResponse response) {
        Set<String> values = new HashSet<>();
        response.json().ifPresent(json -> collect(json, values, 0));
        return values;
    }

    private static void collect(JsonNode node, Set<String> values, int depth) {
        if (depth > 6) {
            return;
        }
        if (node.isValueNode()) {
            values.add(node.asString());
        } else {
            for (JsonNode child : node) {
                collect(child, values, depth + 1);
            }
        }
    }

    /** Every JSON object in the body, the body itself included, a few levels deep. */
    public static java.util.List<JsonNode> objects(ProbeResponse response) {
        java.util.List<JsonNode> found = new java.util.ArrayList<>();
        response.json().ifPresent(json -> collectObjects(json, found, 0));
        return found;
    }

    private static void collectObjects(JsonNode node, java.util.List<JsonNode> found, int depth) {
        if (depth > 4) {
            return;
        }
        if (node.isObject()) {
            found.add(node);
        }
        if (node.isObject() || node.isArray()) {
            for (JsonNode child : node) {
                collectObjects(child, found, depth + 1);
            }
        }
    }

    /**
     * The objects a listing shows: {@link #objects}, without a top-level envelope (an object with a list or
     * object inside, {@code {"success":true,"data":[…],"total":3}}), whose counters and flags are no item's.
     */
    public static java.util.List<JsonNode> items(ProbeResponse response) {
        java.util.List<JsonNode> found = objects(response);
        response.json()
                .filter(json -> json.isObject() && json.valueStream().anyMatch(JsonNode::isContainer))
                .ifPresent(envelope -> found.removeIf(object -> object == envelope));
        return found;
    }

    /** The {@code id} of the object a create answered with, as text. */
    public static Optional<String> createdId(ProbeResponse response) {
        return response.json()
                .filter(JsonNode::isObject)
                .map(body -> body.path("id"))
                .filter(JsonNode::isValueNode)
                .map(JsonNode::asString)
                .filter(id -> !id.isEmpty());
    }

    /** The object itself, or the first item of a list of objects. */
    public static Optional<JsonNode> firstObject(ProbeResponse response) {
        return response.json()
                .map(json -> json.isArray() && !json.isEmpty() ? json.get(0) : json)
                .filter(JsonNode::isObject);
    }

    /** A top-level property of the object (or first list item) as text, if present and scalar. */
    public static Optional<String> property(ProbeResponse response, String name) {
        return firstObject(response)
                .map(o -> o.get(name))
                .filter(JsonNode::isValueNode)
                .map(JsonNode::asString);
    }

    /**
     * In any of the responses, the {@code id} of an object that has a string property equal to {@code value}
     * (ignoring case, or an e-mail address starting with {@code value@}).
     */
    public static Optional<String> idOfObjectWith(Iterable<ProbeResponse> responses, String value) {
        for (ProbeResponse response : responses) {
            Optional<String> id = response.json().flatMap(json -> find(json, value, 0));
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> find(JsonNode node, String value, int depth) {
        if (depth > 4) {
            return Optional.empty();
        }
        if (node.isObject() && node.has("id") && node.get("id").isValueNode()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String text = field.getValue().isString() ? field.getValue().asString() : null;
                if (text != null
                        && !field.getKey().equals("id")
                        && (text.equalsIgnoreCase(value) || text.toLowerCase().startsWith(value.toLowerCase() + "@"))) {
                    return Optional.of(node.get("id").asString());
                }
            }
        }
        for (JsonNode child : node) {
            Optional<String> found = find(child, value, depth + 1);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
