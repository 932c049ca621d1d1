package io.ventiapi.platform.finding;

/** How the last scan that looked at a finding saw it, compared with the scans before. */
public enum FindingChange {
    /** Seen for the first time. */
    NEW,
    /** Seen before and seen again. */
    RECURRING,
    /** Fixed once, and seen again (accepted while fixed, too: the acceptance does not undo the fix). */
    REGRESSED,
    /** A successful scan no longer saw it: closed as fixed. */
    FIXED
}
