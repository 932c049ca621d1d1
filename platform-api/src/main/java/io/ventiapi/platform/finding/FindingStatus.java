package io.ventiapi.platform.finding;

/** Where a finding stands. */
public enum FindingStatus {
    /** Seen and not dealt with. */
    OPEN,
    /** A later scan no longer saw it. Set by scans, not by people. */
    FIXED,
    /** Not a real problem, as a person judged. */
    FALSE_POSITIVE,
    /** Real, and knowingly accepted for a reason, possibly until a date. */
    ACCEPTED_RISK
}
