package io.ventiapi.platform.audit;

/**
 * Whether the tenant's audit chain is intact: every event's hash matches its content and the
 * previous event's hash, with no sequence number missing.
 *
 * @param checkedEvents how many events were verified
 * @param firstBrokenEvent the first event that does not verify (or follows a removed one), if any
 * @param reason why that event does not verify
 */
public record AuditChainStatus(boolean intact, long checkedEvents, AuditEvent firstBrokenEvent, String reason) {}
