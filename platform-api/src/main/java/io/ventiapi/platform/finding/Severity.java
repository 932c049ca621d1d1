package io.ventiapi.platform.finding;

/** How bad a finding is, least to most. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** 0 for INFO up to 4 for CRITICAL: stored beside the name so "at least HIGH" is a range scan. */
    public int rank() {
        return ordinal();
    }
}
