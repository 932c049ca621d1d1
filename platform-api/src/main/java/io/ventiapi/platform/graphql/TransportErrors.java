package io.ventiapi.platform.graphql;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of a refusal made before GraphQL execution (a filter, the HTTP transport), shaped as a
 * GraphQL response ({@code {"errors":[{"message", "extensions":{"code", …}}]}}), so that clients read
 * every failure of {@code /graphql} the same way.
 */
public final class TransportErrors {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TransportErrors() {}

    /** A GraphQL response body with one error. */
    public static Body body(String message, Map<String, ?> extensions) {
        return new Body(List.of(new Error(message, extensions)));
    }

    /** Answers {@code response} with {@code status} and a GraphQL response body with one error. */
    public static void write(HttpServletResponse response, int status, String message, Map<String, ?> extensions)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        JSON.writeValue(StreamUtils.nonClosing(response.getOutputStream()), body(message, extensions));
    }

    /** A GraphQL response that carries errors only. */
    public record Body(List<Error> errors) {}

    /** One GraphQL error: what happened, and its machine-readable code among the extensions. */
    public record Error(String message, Map<String, ?> extensions) {}
}
