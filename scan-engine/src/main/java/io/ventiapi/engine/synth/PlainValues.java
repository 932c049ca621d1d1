package io.ventiapi.engine.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * swagger-parser hands structured examples over as Jackson 2 trees (its own JSON library); the engine works
 * with plain Java values, so they are converted once at the boundary.
 */
final class PlainValues {

    private static final ObjectMapper SWAGGER_JSON = new ObjectMapper();

    private PlainValues() {}

    static Object of(Object value) {
        return value instanceof JsonNode node ? SWAGGER_JSON.convertValue(node, Object.class) : value;
    }
}
