package io.ventiapi.platform.common;

/**
 * Thrown by application services for an expected failure; the GraphQL adapter turns it into a
 * typed payload error. Rolls the transaction back like any runtime exception.
 */
public final class UserErrorException extends RuntimeException {

    private final UserError error;

    private UserErrorException(UserError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public UserError error() {
        return error;
    }

    public static UserErrorException notFound(String what, Object id) {
        return new UserErrorException(UserError.of(ErrorCode.NOT_FOUND, what + " " + id + " not found"));
    }

    public static UserErrorException invalid(String field, String message) {
        return new UserErrorException(new UserError(ErrorCode.INVALID_INPUT, message, field));
    }

    public static UserErrorException conflict(String message) {
        return new UserErrorException(UserError.of(ErrorCode.CONFLICT, message));
    }

    public static UserErrorException busy(String message) {
        return new UserErrorException(UserError.of(ErrorCode.BUSY, message));
    }

    public static UserErrorException forbidden(String message) {
        return new UserErrorException(UserError.of(ErrorCode.FORBIDDEN, message));
    }
}
