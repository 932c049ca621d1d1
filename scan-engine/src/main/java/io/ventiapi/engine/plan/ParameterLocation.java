package io.ventiapi.engine.plan;

import java.util.Locale;

/** Where a parameter travels in a request. Body properties are addressed as {@link #BODY}. */
public enum ParameterLocation {
    PATH,
    QUERY,
    HEADER,
    COOKIE,
    BODY;

    /** The lower-case name used in finding parameters, e.g. {@code query} in {@code query:sort}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ParameterLocation fromOpenApi(String in) {
        return switch (in == null ? "" : in) {
            case "path" -> PATH;
            case "header" -> HEADER;
            case "cookie" -> COOKIE;
            default -> QUERY;
        };
    }
}
