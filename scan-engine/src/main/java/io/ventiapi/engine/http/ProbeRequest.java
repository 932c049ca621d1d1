package io.ventiapi.engine.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as it goes on the wire, relative to the target.
 *
 * @param method upper-case HTTP method
 * @param pathAndQuery encoded path and query, starting with {@code /}; relative to the target base URL
 * @param headers request headers, one value each
 * @param body the body bytes, or null
 */
public record ProbeRequest(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {

    public ProbeRequest {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a probe path must start with '/': " + pathAndQuery);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A copy with one header set, or removed when {@code value} is null. */
    public ProbeRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                copy.put(k, v);
            }
        });
        if (value != null) {
            copy.put(name, value);
        }
        return new ProbeRequest(method, pathAndQuery, copy, body);
    }

    /** The value of a header, case-insensitively, or null. */
    public String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
