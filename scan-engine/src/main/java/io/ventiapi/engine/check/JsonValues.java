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

    /** Names of counters that say how many objects the whole collection holds (compared without case, _ or -). */
    private static final Set<String> TOTALS =
            Set.of("total", "totalcount", "count", "totalitems", "totalresults", "totalelements", "totalsize");

    /** Names of what points to a further page. */
    private static final Set<String> NEXT = Set.of(
            "next", "nextpage", "nextcursor", "nextpagetoken", "nextlink", "nextpageurl", "nexturl", "nexttoken");

    /** Names of flags that say a further page exists. */
    private static final Set<String> MORE = Set.of("hasmore", "hasnext", "hasnextpage", "more", "moreavailable");

    /**
     * Whether a listing says it shows only part of its collection: a {@code Link} header to a next page, or an
     * envelope (or an object in it, {@code meta}, {@code pagination}, {@code links}) with a next page, a flag
     * saying there are more, or a total above the objects it holds. A listing of a page says nothing of the
     * objects on other pages, not even the caller's own. (A bare array of one page says nothing of that.)
     */
    public static boolean showsPart(ProbeResponse listing) {
        if (listing.header("Link")
                .filter(link -> link.toLowerCase(java.util.Locale.ROOT).contains("rel=\"next\""))
                .isPresent()) {
            return true;
        }
        var json = listing.json();
        if (json.isEmpty() || !json.get().isObject() || json.get().valueStream().noneMatch(JsonNode::isContainer)) {
            return false; // no envelope: one object, whose counters are its own
        }
        int shown = items(listing).size();
        if (saysMore(json.get(), shown)) {
            return true;
        }
        for (JsonNode child : json.get()) {
            if (child.isObject() && saysMore(child, shown)) {
                return true;
            }
        }
        return false;
    }

    private static boolean saysMore(JsonNode object, int shown) {
        for (var property : object.properties()) {
            String name = property.getKey()
                    .toLowerCase(java.util.Locale.ROOT)
                    .replace("_", "")
                    .replace("-", "");
            JsonNode value = property.getValue();
            if (NEXT.contains(name)
                    && !value.isNull()
                    && !value.isMissingNode()
                    && !value.asString("").isEmpty()
                    && !(value.isBoolean() && !value.asBoolean())) {
                return true;
            }
            if (MORE.contains(name) && value.isBoolean() && value.asBoolean()) {
                return true;
            }
            if (TOTALS.contains(name) && value.isIntegralNumber() && value.asLong() > shown) {
                return true;
            }
        }
        return false;
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
