package io.ventiapi.engine.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A response as the engine saw it.
 *
 * @param request the request that produced it, as sent (credentials included: redact before showing)
 * @param status the HTTP status code
 * @param headers response headers with lower-case names
 * @param body the first bytes of the body (bodies are truncated at {@link TargetClient#MAX_BODY_BYTES})
 * @param elapsed time from sending the request to receiving the whole (truncated) body
 */
public record ProbeResponse(
        ProbeRequest request, int status, Map<String, List<String>> headers, byte[] body, Duration elapsed) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ProbeResponse {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON, if it is JSON. */
    public Optional<JsonNode> json() {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(body));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
