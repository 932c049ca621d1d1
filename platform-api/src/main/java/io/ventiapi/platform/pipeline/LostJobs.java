package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.tenancy.Tenancy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes again the jobs of queued scans that Redis lost before a runner started them (a
 * restart without persistence, a failover that dropped the last writes); without it they read
 * {@code QUEUED} forever. The dispatcher sets a marker beside each job it adds, in the same
 * script ({@link #marker}), kept {@link #MARKER_LIFETIME}: a queued scan whose request was
 * published and whose marker is gone lost its job with it, while one merely waiting for a runner
 * (its tenant's other scans hold every slot) still has both; a job published before markers
 * existed is never taken for lost. Its outbox message is then made
 * unpublished, and the relay publishes it as the first time. A runner that still holds the
 * first job in memory drops the second as a duplicate (if Redis kept the runner's record of it),
 * or runs the scan once more: a scan run twice is better than one never run.
 */
public class LostJobs {

    /** How long a published job's marker lasts: far longer than any scan waits in the queue. */
    static final Duration MARKER_LIFETIME = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RedissonClient redis;
    private final AuditLog audit;

    LostJobs(JdbcClient jdbc, TransactionTemplate tx, RedissonClient redis, AuditLog audit) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.redis = redis;
        this.audit = audit;
    }

    /** The key that says a scan's job was added to the job stream. */
    static String marker(String scanId) {
        return ScanStreams.JOBS + ":published:" + scanId;
    }

    /**
     * Makes the requests of the bound tenant's queued scans published before {@code publishedBefore}
     * whose jobs Redis no longer holds unpublished again, at most {@code limit}; returns how many.
     */
    public int requeue(Instant publishedBefore, int limit) {
        // In a transaction, which is where the tenant is bound for row-level security.
        var published = tx.execute(status -> jdbc.sql("""
                        select o.id, o.message_key from scans s
                        join outbox o on o.tenant_id = s.tenant_id and o.message_key = s.id::text
                                      and o.topic = 'scan.requested'
                        where s.tenant_id = :tenant and s.status = 'QUEUED' and o.published_at < :before
                          and o.published_marked
                        order by o.published_at limit :limit""")
                .param("tenant", Tenancy.current().value())
                .param("before", Timestamp.from(publishedBefore))
                .param("limit", limit)
                .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("message_key")))
                .list());
        if (published.isEmpty()) {
            return 0;
        }
        var held = redis.getBuckets(StringCodec.INSTANCE)
                .get(published.stream().map(entry -> marker(entry.getValue())).toArray(String[]::new));
        int requeued = 0;
        for (var request : published) {
            if (held.containsKey(marker(request.getValue()))) {
                continue;
            }
            var again = tx.execute(status -> {
                // Another replica's sweep may have made it unpublished, and the relay published it, meanwhile.
                int reset = jdbc.sql("""
                                update outbox set published_at = null
                                where id = :id and published_at < :before
                                  and exists (select 1 from scans where id = cast(:scan as uuid) and status = 'QUEUED')""")
                        .param("id", request.getKey())
                        .param("before", Timestamp.from(publishedBefore))
                        .param("scan", request.getValue())
                        .update();
                if (reset == 1) {
                    audit.record(
                            "scan.requeue",
                            "Scan",
                            request.getValue(),
                            Map.of("reason", "the queue lost its job before a runner started it"));
                }
                return reset == 1;
            });
            if (Boolean.TRUE.equals(again)) {
                requeued++;
            }
        }
        return requeued;
    }
}
