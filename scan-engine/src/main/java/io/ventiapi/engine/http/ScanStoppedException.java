package io.ventiapi.engine.http;

/** The scan must stop sending requests: its budget or time box ran out. */
public final class ScanStoppedException extends RuntimeException {

    /** Which limit stopped the scan. */
    public enum Limit {
        BUDGET,
        TIME_BOX
    }

    private final Limit limit;

    public ScanStoppedException(Limit limit, String message) {
        super(message, null, false, false);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
