package io.ventiapi.platform.project;

/** How hard a scan pushes the target. */
public enum ScanProfile {
    /** No destructive request except to resources the scan itself created. */
    SAFE,
    /** Every check, with destructive methods limited to test data. */
    STANDARD,
    /** Every check and every payload, including destructive ones. */
    AGGRESSIVE
}
