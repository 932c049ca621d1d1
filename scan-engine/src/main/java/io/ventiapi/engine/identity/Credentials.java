package io.ventiapi.engine.identity;

import java.util.Map;

/**
 * What an identity adds to each request.
 *
 * @param headers headers to set (e.g. {@code Authorization})
 * @param query query parameters to add
 * @param cookies cookies to send
 * @param bearerToken the token when the identity sends one (JWT checks tamper with it), else null; it may
 *     travel in a header other than Authorization or with another scheme, see {@link #withToken}
 */
public record Credentials(
        Map<String, String> headers, Map<String, String> query, Map<String, String> cookies, String bearerToken) {

    public Credentials {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        cookies = Map.copyOf(cookies);
    }

    /** No credentials. */
    public static Credentials none() {
        return new Credentials(Map.of(), Map.of(), Map.of(), null);
    }

    public static Credentials bearer(String token) {
        return token("Authorization", "Bearer", token);
    }

    /** A token in the given header, after the scheme and a space (no scheme when it is empty). */
    public static Credentials token(String header, String scheme, String token) {
        String value = scheme == null || scheme.isEmpty() ? token : scheme + " " + token;
        return new Credentials(Map.of(header, value), Map.of(), Map.of(), token);
    }

    /** The same credentials with another token in the same place, header and scheme included. */
    public Credentials withToken(String other) {
        if (bearerToken == null) {
            return bearer(other);
        }
        Map<String, String> replaced = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> replaced.put(name, value.replace(bearerToken, other)));
        return new Credentials(replaced, query, cookies, other);
    }
}
