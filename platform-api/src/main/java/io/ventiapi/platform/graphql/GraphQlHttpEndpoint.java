package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.ErrorCode;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.StreamUtils;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GraphQL HTTP endpoint: Spring's, reading request bodies within {@link #MAX_TOKENS} and
 * {@link #MAX_NESTING}, answering with {@link GraphQlConfiguration#responseStatus the status of what
 * happened}, its body written by Jackson (ADR 8). A class of its own, not an anonymous one, because
 * Spring logs each request with its variables (secrets among them) at DEBUG under the handler's
 * class name, which application.yml keeps at INFO.
 */
class GraphQlHttpEndpoint extends GraphQlHttpHandler {

    /**
     * Most JSON tokens (names, values, brackets) a request body may hold. Spring GraphQL reads the
     * whole body, {@code variables} and {@code extensions} included, before anything else sees it:
     * a 16 MiB body of empty objects took some 20 times its size of heap. A spec upload is one
     * long string, a handful of tokens; the largest legitimate inputs hold a few hundred.
     */
    static final long MAX_TOKENS = 50_000;

    /** Deepest nesting of JSON objects and arrays in a request body; inputs nest a few levels. */
    static final int MAX_NESTING = 64;

    private static final MediaType APPLICATION_GRAPHQL = MediaType.parseMediaType("application/graphql");

    private final JsonMapper jsonMapper;

    GraphQlHttpEndpoint(WebGraphQlHandler webGraphQlHandler, JsonMapper jsonMapper) {
        super(webGraphQlHandler, requestReader());
        this.jsonMapper = jsonMapper;
    }

    /**
     * Reads request bodies within the limits; {@code application/graphql} too, as Spring's own
     * reader did (some clients send JSON under that type).
     */
    private static JacksonJsonHttpMessageConverter requestReader() {
        var limits = StreamReadConstraints.builder()
                .maxTokenCount(MAX_TOKENS)
                .maxNestingDepth(MAX_NESTING)
                .build();
        var reader = new JacksonJsonHttpMessageConverter(JsonMapper.builder(
                        JsonFactory.builder().streamReadConstraints(limits).build())
                .build());
        reader.setSupportedMediaTypes(
                List.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json"), APPLICATION_GRAPHQL));
        return reader;
    }

    /**
     * Answers a body that cannot be read as a GraphQL request (not JSON, over a limit, of another
     * media type) with a GraphQL error, not Spring's error page.
     */
    @Override
    public ServerResponse handleRequest(ServerRequest request) throws ServletException {
        try {
            return super.handleRequest(request);
        } catch (HttpMessageNotReadableException | ServerWebInputException e) {
            if (causedBy(e, RequestSizeLimit.TooLarge.class) instanceof RequestSizeLimit.TooLarge tooLarge) {
                return refusal(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), RequestSizeLimit.REQUEST_TOO_LARGE);
            }
            if (causedBy(e, StreamConstraintsException.class) != null) {
                return refusal(
                        HttpStatus.CONTENT_TOO_LARGE,
                        "request body over the limits: at most " + MAX_TOKENS + " JSON tokens and " + MAX_NESTING
                                + " levels of nesting",
                        RequestSizeLimit.REQUEST_TOO_LARGE);
            }
            return refusal(
                    HttpStatus.BAD_REQUEST,
                    "request body is not a GraphQL request: JSON with a query, and optionally operationName,"
                            + " variables and extensions",
                    ErrorCode.INVALID_INPUT.name());
        } catch (HttpMediaTypeNotSupportedException | UnsupportedMediaTypeStatusException e) {
            return refusal(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send the GraphQL request as application/json",
                    ErrorCode.INVALID_INPUT.name());
        }
    }

    private static Throwable causedBy(Throwable e, Class<? extends Throwable> type) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    private ServerResponse refusal(HttpStatus status, String message, String code) {
        var body = TransportErrors.body(message, Map.of("code", code));
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .build((request, response) -> {
                    jsonMapper.writeValue(StreamUtils.nonClosing(response.getOutputStream()), body);
                    return null;
                });
    }

    @Override
    protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
        return GraphQlConfiguration.responseStatus(response);
    }

    /** The response, written to the wire by Jackson, not through Spring's message converters (ADR 8). */
    @Override
    protected ServerResponse.HeadersBuilder.WriteFunction getWriteFunction(
            Map<String, Object> resultMap, MediaType mediaType) {
        return (request, response) -> {
            jsonMapper.writeValue(StreamUtils.nonClosing(response.getOutputStream()), resultMap);
            return null;
        };
    }
}
