package io.ventiapi.platform.common;

/** An expected failure the caller can act on, returned in a mutation's payload. */
public record UserError(ErrorCode code, String message, String field) {

    public static UserError of(ErrorCode code, String message) {
        return new UserError(code, message, null);
    }
}
