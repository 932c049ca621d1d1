package io.ventiapi.engine;

import io.ventiapi.engine.http.ProbeResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The id of the object a POST created, as the item path takes it, so that clean-up can delete it. APIs name it
 * in many ways: a {@code Location} header and no body, {@code _id} (MongoDB), {@code uuid}, the item path
 * parameter's own name ({@code /notes/{ref}} → {@code ref}), or the resource's name with {@code Id}
 * ({@code noteId}, {@code note_id} for {@code /notes}). An id read wrongly only makes a DELETE miss; an id not
 * read leaves the object behind.
 */
final class CreatedIdReader {

    private CreatedIdReader() {}

    /**
     * @param response the answer to a POST
     * @param collection the absolute URL the POST went to, without its query
     * @param itemParameter the name of the path parameter of the collection's item path, or null when none is
     *     documented
     */
    static Optional<String> read(ProbeResponse response, URI collection, String itemParameter) {
        Optional<String> located = fromLocation(response, collection);
        if (located.isPresent()) {
            return located;
        }
        Optional<JsonNode> json = response.json().filter(JsonNode::isObject);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (itemParameter != null) {
            names.add(normalized(itemParameter));
        }
        // "_id" reads as "id" once normalized, so MongoDB's ids come with the plain ones.
        names.add("id");
        names.add("uuid");
        String singular = singular(lastSegment(collection));
        if (!singular.isEmpty()) {
            names.add(normalized(singular) + "id");
        }
        Optional<String> id = fromObject(json.get(), names);
        return id.isPresent() ? id : fromObject(json.get().path("data"), names);
    }

    /**
     * The last path segment of a {@code Location} on the target's origin directly under the collection
     * ({@code /api/notes/7} for a POST to {@code /api/notes}); a Location elsewhere names no object of the scan.
     */
    private static Optional<String> fromLocation(ProbeResponse response, URI collection) {
        String location = response.header("location").orElse("").trim();
        if (location.isEmpty()) {
            return Optional.empty();
        }
        URI resolved;
        try {
            resolved = collection.resolve(location);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean sameOrigin = resolved.getScheme() != null
                && resolved.getHost() != null
                && resolved.getScheme().equalsIgnoreCase(collection.getScheme())
                && resolved.getHost().equalsIgnoreCase(collection.getHost())
                && port(resolved) == port(collection);
        String path = resolved.getRawPath();
        String under = collection.getRawPath().endsWith("/") ? collection.getRawPath() : collection.getRawPath() + "/";
        if (!sameOrigin || path == null || !path.startsWith(under)) {
            return Optional.empty();
        }
        String segment = path.substring(under.length());
        segment = segment.endsWith("/") ? segment.substring(0, segment.length() - 1) : segment;
        if (segment.isEmpty() || segment.contains("/")) {
            return Optional.empty();
        }
        // The item path encodes the id again; "+" is a plus sign in a path, not a space.
        return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }

    private static Optional<String> fromObject(JsonNode object, List<String> names) {
        if (!object.isObject()) {
            return Optional.empty();
        }
        for (String name : names) {
            for (var property : object.properties()) {
                JsonNode value = property.getValue();
                if (normalized(property.getKey()).equals(name)
                        && (value.isString() || value.isNumber())
                        && !value.asString().isBlank()) {
                    return Optional.of(value.asString());
                }
            }
        }
        return Optional.empty();
    }

    /** Lower case without {@code _} and {@code -}: {@code note_id}, {@code noteId} and {@code NoteID} are one name. */
    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private static String lastSegment(URI collection) {
        String path = collection.getPath() == null ? "" : collection.getPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code notes} → {@code note}, {@code categories} → {@code category}, {@code boxes} → {@code box}. */
    static String singular(String plural) {
        String lower = plural.toLowerCase(Locale.ROOT);
        if (lower.endsWith("ies") && plural.length() > 3) {
            return plural.substring(0, plural.length() - 3) + "y";
        }
        if (lower.endsWith("sses")
                || lower.endsWith("xes")
                || lower.endsWith("ches")
                || lower.endsWith("shes")
                || lower.endsWith("zes")) {
            return plural.substring(0, plural.length() - 2);
        }
        if (lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us") && plural.length() > 1) {
            return plural.substring(0, plural.length() - 1);
        }
        return plural;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
