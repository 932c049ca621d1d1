package io.ventiapi.platform.audit;

import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.tenancy.Tenancy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the bound tenant's audit log, newest first, and verifies its hash chain. */
@Service
@PreAuthorize("hasAuthority('SCOPE_" + Scopes.AUDIT_READ + "')")
public class AuditReader {

    private static final String COLUMNS =
            "id, seq, occurred_at, actor, actor_type, action, target_type, target_id, source_ip, user_agent,"
                    + " trace_id, summary, prev_hash, hash";
    private static final int VERIFY_BATCH = 1000;

    private final JdbcClient jdbc;

    AuditReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of events, newest first; the cursor is the sequence number. */
    @Transactional(readOnly = true)
    public Window<AuditEvent> events(AuditFilter filter, ScrollPosition position, Limit limit) {
        var sql = new StringBuilder("select " + COLUMNS + " from audit_events where tenant_id = :tenant");
        var params = new java.util.HashMap<String, Object>();
        params.put("tenant", Tenancy.current().value());
        if (!(position instanceof KeysetScrollPosition keyset)) {
            throw Keysets.notACursor();
        }
        if (!keyset.getKeys().isEmpty()) {
            if (keyset.getKeys().size() != 1 || !(keyset.getKeys().get("seq") instanceof Number after)) {
                throw Keysets.notACursor();
            }
            sql.append(" and seq < :after");
            params.put("after", after.longValue());
        }
        if (filter.action() != null) {
            sql.append(" and action = :action");
            params.put("action", filter.action());
        }
        if (filter.actorType() != null) {
            sql.append(" and actor_type = :actorType");
            params.put("actorType", filter.actorType());
        }
        if (filter.targetType() != null) {
            sql.append(" and target_type = :targetType");
            params.put("targetType", filter.targetType());
        }
        if (filter.from() != null) {
            sql.append(" and occurred_at >= :from");
            params.put("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and occurred_at < :to");
            params.put("to", Timestamp.from(filter.to()));
        }
        // The limit is written in, not bound: PostgreSQL cannot plan a bound limit once for all
        // pages and would plan the statement again each time (see FindingSearch).
        sql.append(" order by seq desc limit ").append(limit.max() + 1);
        var rows = jdbc.sql(sql.toString())
                .params(params)
                .query(AuditReader::event)
                .list();
        return Keysets.window(rows, limit.max(), event -> event, event -> Map.of("seq", event.seq()));
    }

    /**
     * Walks the whole chain, oldest first, recomputing every hash; with an {@code anchor}, also
     * checks the chain still holds that event with that hash.
     */
    @Transactional(readOnly = true)
    public AuditChainStatus verify(AuditChainStatus.Anchor anchor) {
        var tenant = Tenancy.current().value();
        // One walk of a tenant's chain at a time: each reads and hashes all of it, and holds one of
        // the query slots every tenant shares while it does.
        boolean alone = jdbc.sql("select pg_try_advisory_xact_lock(hashtext('audit-verify:' || ?))")
                .param(tenant)
                .query(Boolean.class)
                .single();
        if (!alone) {
            throw UserErrorException.conflict(
                    "the audit chain is being verified for another request; ask again when it has answered");
        }
        long checked = 0;
        long expectedSeq = 1;
        // From the lowest number, not 1: no written event is numbered below 1, so one that is was
        // put there, and would otherwise be listed yet never checked.
        long from = Long.MIN_VALUE;
        String previousHash = AuditLog.GENESIS;
        AuditEvent head = null;
        while (true) {
            var batch = jdbc.sql("select " + COLUMNS
                            + " from audit_events where tenant_id = ? and seq >= ? order by seq limit ?")
                    .params(tenant, from, VERIFY_BATCH)
                    .query((rs, n) -> new Row(event(rs, n), rs.getString("prev_hash")))
                    .list();
            if (batch.isEmpty()) {
                if (anchor != null && anchor.seq() > checked) {
                    return new AuditChainStatus(
                            false,
                            checked,
                            null,
                            "the chain ends at event " + checked + ", before event " + anchor.seq()
                                    + " you recorded: newer events were deleted",
                            head);
                }
                return new AuditChainStatus(true, checked, null, null, head);
            }
            for (var row : batch) {
                var event = row.event();
                if (event.seq() < 1) {
                    return new AuditChainStatus(
                            false, checked, event, "its number is below 1, which no written event's is", head);
                }
                if (event.seq() != expectedSeq) {
                    return new AuditChainStatus(
                            false, checked, event, "event " + expectedSeq + " is missing before this one", head);
                }
                if (!row.prevHash().equals(previousHash)) {
                    return new AuditChainStatus(false, checked, event, "does not link to the previous event", head);
                }
                if (holdsNullText(event)) {
                    return new AuditChainStatus(
                            false,
                            checked,
                            event,
                            "a field holds the text 'null', which no written event's does: an empty field may have"
                                    + " been filled, or a filled one emptied, without changing its hash",
                            head);
                }
                if (holdsSeparator(event)) {
                    return new AuditChainStatus(
                            false,
                            checked,
                            event,
                            "a field holds the chain's separator, which no written event does: its fields may have"
                                    + " been shifted without changing its hash",
                            head);
                }
                var recomputed = AuditLog.chain(
                        previousHash,
                        event.seq(),
                        new AuditLog.Event(
                                event.id(),
                                tenant,
                                event.occurredAt(),
                                event.actor(),
                                event.actorType(),
                                event.action(),
                                event.targetType(),
                                event.targetId(),
                                event.sourceIp(),
                                event.userAgent(),
                                event.traceId(),
                                event.summary()));
                if (!recomputed.equals(event.hash())) {
                    return new AuditChainStatus(false, checked, event, "its content does not match its hash", head);
                }
                if (anchor != null
                        && anchor.seq() == event.seq()
                        && !anchor.hash().equalsIgnoreCase(event.hash())) {
                    return new AuditChainStatus(
                            false,
                            checked,
                            event,
                            "its hash is not the one you recorded: the chain was rewritten up to here",
                            head);
                }
                head = event;
                previousHash = event.hash();
                expectedSeq++;
                checked++;
            }
            from = expectedSeq;
        }
    }

    /**
     * Whether a field a request fills or leaves empty holds the text {@code null}, which hashes as
     * an empty one does: no event written since {@link AuditLog#NULL_TEXT_SINCE} does (its time is
     * hashed, so an event cannot be moved across it unnoticed).
     */
    private static boolean holdsNullText(AuditEvent event) {
        return !event.occurredAt().isBefore(AuditLog.NULL_TEXT_SINCE)
                && Stream.of(event.sourceIp(), event.userAgent(), event.traceId())
                        .anyMatch(AuditLog.NULL_TEXT::equals);
    }

    private static boolean holdsSeparator(AuditEvent event) {
        return Stream.of(
                        event.actor(),
                        event.actorType(),
                        event.action(),
                        event.targetType(),
                        event.targetId(),
                        event.sourceIp(),
                        event.userAgent(),
                        event.traceId(),
                        event.summary())
                .anyMatch(field -> field != null && field.indexOf(AuditLog.SEPARATOR) >= 0);
    }

    private static AuditEvent event(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(
                rs.getObject("id", UUID.class),
                rs.getLong("seq"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor"),
                rs.getString("actor_type"),
                rs.getString("action"),
                rs.getString("target_type"),
                rs.getString("target_id"),
                rs.getString("source_ip"),
                rs.getString("user_agent"),
                rs.getString("trace_id"),
                rs.getString("summary"),
                rs.getString("hash"));
    }

    private record Row(AuditEvent event, String prevHash) {}
}
