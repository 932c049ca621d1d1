package io.ventiapi.engine.identity;

/** An identity could not obtain credentials (bad client secret, login rejected, no token in the response). */
public final class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
