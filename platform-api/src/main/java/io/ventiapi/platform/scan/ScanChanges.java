package io.ventiapi.platform.scan;

/**
 * How a finished scan's findings compare with the project's earlier scans.
 *
 * @param newFindings seen for the first time
 * @param recurring seen before and still there
 * @param regressed fixed once, and back
 * @param fixed open before, not seen by this scan: closed as fixed
 */
public record ScanChanges(int newFindings, int recurring, int regressed, int fixed) {

    public static final ScanChanges NONE = new ScanChanges(0, 0, 0, 0);
}
