package io.ventiapi.platform.pipeline.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.ventiapi.platform.graphql.ClientErrors;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * What a subscriber sees when a subscription's stream fails: the same typed errors as queries
 * ({@link ClientErrors}), and for anything unexpected an opaque {@code INTERNAL_ERROR} with an id
 * to quote, never a message or stack trace.
 */
@Component
class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrors.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected GraphQLError resolveToSingleError(Throwable exception) {
        return ClientErrors.expected(exception, GraphqlErrorBuilder.newError()).orElseGet(() -> {
            // A stream fails long after the request that opened it, outside its trace: the id
            // quoted is the one the log gives with the failure.
            var id = new byte[16];
            RANDOM.nextBytes(id);
            var traceId = HexFormat.of().formatHex(id);
            log.error("Subscription stream failed (trace {})", traceId, exception);
            return GraphqlErrorBuilder.newError()
                    .errorType(ErrorType.INTERNAL_ERROR)
                    .message("internal error; quote trace id " + traceId)
                    .extensions(Map.of("code", "INTERNAL_ERROR", "traceId", traceId))
                    .build();
        });
    }
}
