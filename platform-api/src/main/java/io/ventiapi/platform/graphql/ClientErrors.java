package io.ventiapi.platform.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.ventiapi.platform.common.UserErrorException;
import java.util.Map;
import java.util.Optional;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * The typed errors clients get for expected failures, the same for queries, mutations and
 * subscriptions: a {@link UserErrorException} keeps its code and message, a refused authorization
 * is {@code FORBIDDEN}, a missing authentication {@code UNAUTHENTICATED}.
 */
public final class ClientErrors {

    private ClientErrors() {}

    /** The error for an expected failure, built on {@code error}; empty for anything unexpected. */
    public static Optional<GraphQLError> expected(Throwable ex, GraphqlErrorBuilder<?> error) {
        if (ex instanceof UserErrorException userError) {
            var type = switch (userError.error().code()) {
                case NOT_FOUND -> ErrorType.NOT_FOUND;
                case FORBIDDEN -> ErrorType.FORBIDDEN;
                default -> ErrorType.BAD_REQUEST;
            };
            return Optional.of(error.errorType(type)
                    .message(userError.error().message())
                    .extensions(Map.of("code", userError.error().code().name()))
                    .build());
        }
        if (ex instanceof AccessDeniedException) {
            return Optional.of(error.errorType(ErrorType.FORBIDDEN)
                    .message("not allowed")
                    .extensions(Map.of("code", "FORBIDDEN"))
                    .build());
        }
        if (ex instanceof AuthenticationException) {
            return Optional.of(error.errorType(ErrorType.UNAUTHORIZED)
                    .message("not authenticated")
                    .extensions(Map.of("code", "UNAUTHENTICATED"))
                    .build());
        }
        return Optional.empty();
    }
}
