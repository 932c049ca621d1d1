package io.ventiapi.platform.pipeline.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.ventiapi.platform.graphql.ClientErrors;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * What a subscriber sees when a subscription's stream fails: the same typed errors as queries
 * ({@link ClientErrors}), and for anything unexpected an opaque {@code INTERNAL_ERROR}, never a
 * message or stack trace.
 */
@Component
class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrors.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable exception) {
        return ClientErrors.expected(exception, GraphqlErrorBuilder.newError()).orElseGet(() -> {
            log.error("Subscription stream failed", exception);
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.INTERNAL_ERROR)
                    .message("internal error")
                    .extensions(Map.of("code", "INTERNAL_ERROR"))
                    .build();
        });
    }
}
