package io.ventiapi.engine;

/** How bad a finding is, from informational to critical. Ordered: later constants are worse. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** True when this severity is at least as bad as {@code threshold}. */
    public boolean isAtLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    /** Parses a severity name case-insensitively, e.g. {@code "high"}. */
    public static Severity parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown severity '" + name + "' (expected one of INFO, LOW, MEDIUM, HIGH, CRITICAL)");
        }
    }
}
