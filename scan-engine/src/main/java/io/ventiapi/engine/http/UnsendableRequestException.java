package io.ventiapi.engine.http;

/**
 * A request HTTP cannot carry as built (a header name or value with a line break or other character a header
 * may not hold); it was not sent. The message names what is wrong, never the value, which may be a credential.
 */
public final class UnsendableRequestException extends RuntimeException {

    public UnsendableRequestException(String message) {
        super(message);
    }
}
