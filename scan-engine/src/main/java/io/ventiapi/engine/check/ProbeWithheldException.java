package io.ventiapi.engine.check;

/**
 * A probe the scan's profile does not let go was not sent: in SAFE, one more create on an operation whose objects
 * the scan cannot delete. The check stops there, as when the target does not answer.
 */
public final class ProbeWithheldException extends RuntimeException {

    public ProbeWithheldException(String message) {
        super(message, null, false, false);
    }
}
