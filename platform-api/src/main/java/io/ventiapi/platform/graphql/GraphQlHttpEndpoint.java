package io.ventiapi.platform.graphql;

import java.util.Map;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GraphQL HTTP endpoint: Spring's, answering with {@link GraphQlConfiguration#responseStatus
 * the status of what happened}, its body written by Jackson (ADR 8). A class of its own, not an
 * anonymous one, because Spring logs each request with its variables (secrets among them) at
 * DEBUG under the handler's class name, which application.yml keeps at INFO.
 */
class GraphQlHttpEndpoint extends GraphQlHttpHandler {

    private final JsonMapper jsonMapper;

    GraphQlHttpEndpoint(WebGraphQlHandler webGraphQlHandler, JsonMapper jsonMapper) {
        super(webGraphQlHandler);
        this.jsonMapper = jsonMapper;
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
