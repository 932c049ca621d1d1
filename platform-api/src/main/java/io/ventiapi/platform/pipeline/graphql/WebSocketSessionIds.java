package io.ventiapi.platform.pipeline.graphql;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Gives a subscription's handler the id of the WebSocket it came over (in the GraphQL context,
 * under {@value #KEY}), so that what one socket holds open can be counted ({@link
 * SubscriptionSlots}).
 */
@Component
class WebSocketSessionIds implements WebGraphQlInterceptor {

    static final String KEY = "venti.webSocketSessionId";

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (request instanceof WebSocketGraphQlRequest socket) {
            var id = socket.getSessionInfo().getId();
            request.configureExecutionInput((input, builder) -> {
                input.getGraphQLContext().put(KEY, id);
                return input;
            });
        }
        return chain.next(request);
    }
}
