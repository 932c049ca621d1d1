package io.ventiapi.platform.finding;

/** How sure the scanner is that a finding is real. */
public enum Confidence {
    LOW,
    MEDIUM,
    HIGH
}
