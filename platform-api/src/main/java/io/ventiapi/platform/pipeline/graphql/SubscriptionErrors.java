package io.ventiapi.platform.pipeline.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.ventiapi.platform.common.UserErrorException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * What a subscriber sees when a subscription's stream fails: the same typed errors as queries
 * ({@code NOT_FOUND}, {@code FORBIDDEN}), and for anything unexpected an opaque {@code
 * INTERNAL_ERROR}, never a message or stack trace.
 */
@Component
class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrors.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable exception) {
        if (exception instanceof UserErrorException userError) {
            var type = switch (userError.error().code()) {
                case NOT_FOUND -> ErrorType.NOT_FOUND;
                case FORBIDDEN -> ErrorType.FORBIDDEN;
                default -> ErrorType.BAD_REQUEST;
            };
            return GraphqlErrorBuilder.newError()
                    .errorType(type)
                    .message(userError.error().message())
                    .extensions(Map.of("code", userError.error().code().name()))
                    .build();
        }
        if (exception instanceof AccessDeniedException) {
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.FORBIDDEN)
                    .message("not allowed")
                    .extensions(Map.of("code", "FORBIDDEN"))
                    .build();
        }
        log.error("Subscription stream failed", exception);
        return GraphqlErrorBuilder.newError()
                .errorType(ErrorType.INTERNAL_ERROR)
                .message("internal error")
                .extensions(Map.of("code", "INTERNAL_ERROR"))
                .build();
    }
}
