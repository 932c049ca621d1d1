package io.ventiapi.engine.http;

/** No response came: connection refused, reset, timed out, or DNS failed. */
public final class TargetUnreachableException extends RuntimeException {

    public TargetUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
