package io.ventiapi.engine.synth;

import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request for one operation with every parameter filled, before credentials are added. Immutable: checks
 * derive probes from it with {@link #with} and {@link #without}, changing one parameter at a time.
 *
 * @param operation the operation it exercises
 * @param pathValues raw (unencoded) values of the path parameters
 * @param query raw query parameters in order
 * @param headers extra request headers documented as parameters
 * @param cookies cookies documented as parameters
 * @param body the body as plain Java values ({@code Map}, {@code List}, {@code String}), or null
 * @param mediaType the body's media type, or null without a body
 */
public record SynthesizedRequest(
        PlannedOperation operation,
        Map<String, String> pathValues,
        Map<String, String> query,
        Map<String, String> headers,
        Map<String, String> cookies,
        Object body,
        String mediaType) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SynthesizedRequest {
        pathValues = Collections.unmodifiableMap(new LinkedHashMap<>(pathValues));
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        cookies = Collections.unmodifiableMap(new LinkedHashMap<>(cookies));
    }

    /** A copy with one parameter set; for {@link ParameterLocation#BODY} {@code name} is a top-level property. */
    public SynthesizedRequest with(ParameterLocation location, String name, Object value) {
        Map<String, String> path = new LinkedHashMap<>(pathValues);
        Map<String, String> q = new LinkedHashMap<>(query);
        Map<String, String> h = new LinkedHashMap<>(headers);
        Map<String, String> c = new LinkedHashMap<>(cookies);
        Object b = body;
        switch (location) {
            case PATH -> path.put(name, String.valueOf(value));
            case QUERY -> q.put(name, String.valueOf(value));
            case HEADER -> h.put(name, String.valueOf(value));
            case COOKIE -> c.put(name, String.valueOf(value));
            case BODY -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                if (body instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
                }
                copy.put(name, value);
                b = copy;
            }
        }
        return new SynthesizedRequest(operation, path, q, h, c, b, mediaType);
    }

    /** A copy without a header parameter (e.g. to drop a documented API key header). */
    public SynthesizedRequest without(ParameterLocation location, String name) {
        Map<String, String> q = new LinkedHashMap<>(query);
        Map<String, String> h = new LinkedHashMap<>(headers);
        Map<String, String> c = new LinkedHashMap<>(cookies);
        switch (location) {
            case QUERY -> q.remove(name);
            case HEADER -> h.remove(name);
            case COOKIE -> c.remove(name);
            default -> throw new IllegalArgumentException("cannot drop a " + location.label() + " parameter");
        }
        return new SynthesizedRequest(operation, pathValues, q, h, c, body, mediaType);
    }

    /** The current value of a parameter as text, or null if it is not set. */
    public String valueOf(ParameterLocation location, String name) {
        Object value = switch (location) {
            case PATH -> pathValues.get(name);
            case QUERY -> query.get(name);
            case HEADER -> headers.get(name);
            case COOKIE -> cookies.get(name);
            case BODY -> body instanceof Map<?, ?> map ? map.get(name) : null;
        };
        return value == null ? null : String.valueOf(value);
    }

    /** Names of the body's top-level properties that hold text or numbers: the ones injection checks mutate. */
    public List<String> scalarBodyProperties() {
        if (!(body instanceof Map<?, ?> map)) {
            return List.of();
        }
        return map.entrySet().stream()
                .filter(e -> e.getValue() instanceof String || e.getValue() instanceof Number)
                .map(e -> String.valueOf(e.getKey()))
                .toList();
    }

    /** The path with parameters filled in and percent-encoded, plus the query string. */
    public String pathAndQuery() {
        StringBuilder path = new StringBuilder();
        String template = operation.pathTemplate();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                path.append(template, i, template.length());
                break;
            }
            path.append(template, i, open);
            String name = template.substring(open + 1, close);
            path.append(encodePathSegment(pathValues.getOrDefault(name, "1")));
            i = close + 1;
        }
        if (!query.isEmpty()) {
            path.append('?').append(formEncode(query));
        }
        return path.toString();
    }

    /** The body encoded for its media type, or null without a body. */
    public byte[] bodyBytes() {
        if (body == null) {
            return null;
        }
        if (mediaType.contains("x-www-form-urlencoded") && body instanceof Map<?, ?> map) {
            Map<String, String> fields = new LinkedHashMap<>();
            map.forEach((k, v) -> fields.put(String.valueOf(k), scalarText(v)));
            return formEncode(fields).getBytes(StandardCharsets.UTF_8);
        }
        if (mediaType.startsWith("multipart/") && body instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder();
            map.forEach((k, v) -> out.append("--")
                    .append(MULTIPART_BOUNDARY)
                    .append("\r\nContent-Disposition: form-data; name=\"")
                    .append(k)
                    .append("\"\r\n\r\n")
                    .append(scalarText(v))
                    .append("\r\n"));
            out.append("--").append(MULTIPART_BOUNDARY).append("--\r\n");
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (mediaType.contains("json") || !(body instanceof String)) {
            return JSON.writeValueAsBytes(body);
        }
        return ((String) body).getBytes(StandardCharsets.UTF_8);
    }

    /** The Content-Type header for {@link #bodyBytes()}, or null without a body. */
    public String contentType() {
        if (body == null) {
            return null;
        }
        return mediaType.startsWith("multipart/") ? "multipart/form-data; boundary=" + MULTIPART_BOUNDARY : mediaType;
    }

    private static final String MULTIPART_BOUNDARY =
            "venti-" + UUID.nameUUIDFromBytes("venti".getBytes(StandardCharsets.UTF_8));

    private static String scalarText(Object value) {
        return value instanceof Map<?, ?> || value instanceof List<?>
                ? JSON.writeValueAsString(value)
                : String.valueOf(value);
    }

    private static String formEncode(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** Percent-encodes everything but unreserved characters, so "../" stays data and "/" cannot add segments. */
    static String encodePathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
