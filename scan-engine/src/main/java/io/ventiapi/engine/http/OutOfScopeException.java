package io.ventiapi.engine.http;

/** A request would have left the target origin; it was not sent. Always a bug in the caller. */
public final class OutOfScopeException extends RuntimeException {

    public OutOfScopeException(String message) {
        super(message);
    }
}
