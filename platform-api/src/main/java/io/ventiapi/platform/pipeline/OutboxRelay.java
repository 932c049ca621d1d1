package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.outbox.OutboxAppended;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.tenancy.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the outbox after commit: woken by each commit that appended a message, and every
 * {@code venti.pipeline.relay-interval} in case a message was left behind (a crash between commit
 * and publish, or another replica's commit). Each message is published and stamped in one
 * transaction holding its row lock ({@code for update skip locked}, so replicas share the work):
 * a crash after publishing and before the stamp publishes it again, which the runners recognise.
 * Messages of one tenant go out in the order they were written.
 */
public class OutboxRelay implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboxRelay.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BATCH = 50;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ScanDispatcher dispatcher;
    private final PipelineProperties properties;
    private final Semaphore wake = new Semaphore(0);
    private final BackgroundLoop loop;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, ScanDispatcher dispatcher, PipelineProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dispatcher = dispatcher;
        this.properties = properties;
        // Redis or the database away: everything stays in the outbox for the next try.
        this.loop = new BackgroundLoop("outbox-relay", this::step, () -> {}, properties.relayInterval());
    }

    void start() {
        loop.start();
    }

    @Override
    public void close() {
        loop.stop();
    }

    /** A transaction that appended to the outbox committed: publish now rather than at the next tick. */
    @TransactionalEventListener
    void committed(OutboxAppended appended) {
        wake.release();
    }

    /** Publishes everything waiting now; returns how many messages went out. */
    public int relay() {
        var tenants = jdbc.sql("select venti_outbox_pending_tenants()")
                .query(String.class)
                .list();
        int published = 0;
        for (var tenant : tenants) {
            try {
                published += SystemActor.call(TenantId.of(tenant), this::relayTenant);
            } catch (RuntimeException e) {
                // Its messages stay for the next tick; the other tenants' go out meanwhile.
                log.warn("Could not relay the outbox of tenant {}: {}", tenant, e.toString());
            }
        }
        return published;
    }

    private int relayTenant() {
        int total = 0;
        int batch;
        do {
            batch = tx.execute(status -> relayBatch());
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    private int relayBatch() {
        var rows = jdbc.sql("""
                        select id, topic, payload::text as payload from outbox
                        where published_at is null order by created_at, id limit ? for update skip locked""")
                .param(BATCH)
                .query((rs, row) -> new Message(
                        rs.getObject("id", UUID.class), rs.getString("topic"), JSON.readTree(rs.getString("payload"))))
                .list();
        var done = new ArrayList<UUID>();
        for (var message : rows) {
            dispatcher.dispatch(message.topic(), message.payload());
            done.add(message.id());
        }
        if (!done.isEmpty()) {
            // Published as the dispatcher does now: with a marker beside each scan's job (LostJobs).
            jdbc.sql("update outbox set published_at = :now, published_marked = true where id in (:ids)")
                    .param("now", Timestamp.from(Instant.now()))
                    .param("ids", done)
                    .update();
        }
        return rows.size();
    }

    private void step() throws InterruptedException {
        wake.tryAcquire(properties.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        relay();
    }

    private record Message(UUID id, String topic, JsonNode payload) {}
}
