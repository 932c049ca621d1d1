package io.ventiapi.engine.plan;

import io.swagger.v3.oas.models.media.Schema;

/**
 * One documented response of an operation.
 *
 * @param status the status code, a range such as {@code 2XX}, or {@code default}
 * @param mediaType the documented media type with a schema, JSON preferred; null when there is no body
 * @param schema the body schema, possibly a {@code $ref}; null when undocumented
 */
public record PlannedResponse(String status, String mediaType, Schema<?> schema) {

    /** Whether this documented response covers the given status code. */
    public boolean covers(int code) {
        String s = status.toUpperCase(java.util.Locale.ROOT);
        if (s.equals("DEFAULT")) {
            return true;
        }
        if (s.length() == 3 && s.endsWith("XX")) {
            return s.charAt(0) - '0' == code / 100;
        }
        return s.equals(Integer.toString(code));
    }
}
