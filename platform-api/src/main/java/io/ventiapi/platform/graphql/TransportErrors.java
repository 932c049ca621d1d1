package io.ventiapi.platform.graphql;

import io.micrometer.tracing.Tracer;
import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.TransientFailures;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Failures of {@code /graphql} outside a field's execution (a filter, the HTTP transport, a
 * transaction that cannot begin) as the client sees them: a GraphQL response ({@code
 * {"errors":[{"message", "extensions":{"code", …}}]}}), so that clients read every failure the
 * same way.
 */
public final class TransportErrors {

    /** The code of an unexpected failure's error. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

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

    /**
     * What a client is told of a failure it did not cause: {@code BUSY} (503) when the failure
     * passes by itself ({@link TransientFailures}: the database or Redis away, out of connections,
     * failing over), else {@code INTERNAL_ERROR} (500); either with the trace id to quote, never
     * the failure's own message.
     */
    public static Failure failure(Throwable e, String traceId) {
        if (TransientFailures.test(e)) {
            return new Failure(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ErrorCode.BUSY.name(),
                    "the service is unavailable for a moment: retry shortly (trace id " + traceId + ")",
                    traceId);
        }
        return new Failure(
                HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, "internal error; quote trace id " + traceId, traceId);
    }

    /** The current trace's id; {@code none} without tracing ({@code tracer} null) or a trace. */
    public static String traceId(Tracer tracer) {
        var span = tracer == null ? null : tracer.currentSpan();
        return span == null ? "none" : span.context().traceId();
    }

    /** A failure the client did not cause, as it is told of it. */
    public record Failure(HttpStatus status, String code, String message, String traceId) {

        public boolean busy() {
            return code.equals(ErrorCode.BUSY.name());
        }

        public Map<String, Object> extensions() {
            return Map.of("code", code, "traceId", traceId);
        }
    }

    /** A GraphQL response that carries errors only. */
    public record Body(List<Error> errors) {}

    /** One GraphQL error: what happened, and its machine-readable code among the extensions. */
    public record Error(String message, Map<String, ?> extensions) {}
}
