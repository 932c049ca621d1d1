package io.ventiapi.platform.audit;

/**
 * Whether the tenant's audit chain is intact: every event's hash matches its content and the
 * previous event's hash, with no sequence number missing, and (when checked against one) the
 * chain still holds an anchor recorded earlier.
 *
 * @param checkedEvents how many events were verified
 * @param firstBrokenEvent the first event that does not verify (or follows a removed one), if any
 * @param reason why the chain is not intact
 * @param head the newest event verified, to record outside the platform and check against later
 */
public record AuditChainStatus(
        boolean intact, long checkedEvents, AuditEvent firstBrokenEvent, String reason, AuditEvent head) {

    /**
     * An event of the chain as someone recorded it outside the platform (its position and hash):
     * the chain must still hold it. Nothing inside the database can show that its newest events
     * were deleted, or the whole chain recomputed, by someone with the database owner's rights;
     * a recorded head can.
     */
    public record Anchor(long seq, String hash) {}
}
