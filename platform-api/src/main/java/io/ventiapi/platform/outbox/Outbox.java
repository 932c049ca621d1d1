package io.ventiapi.platform.outbox;

import io.ventiapi.tenancy.Tenancy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends messages to the outbox in the caller's transaction, and announces each with an {@link
 * OutboxAppended} event that listeners see after commit. The relay (module pipeline) publishes
 * unpublished rows in order of creation and stamps {@code published_at}; delivery is at least
 * once, so consumers recognise a message seen twice.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    Outbox(JdbcClient jdbc, ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Appends a message for the bound tenant.
     *
     * @param topic what happened, e.g. {@code scan.requested}
     * @param key the object it is about; messages with one key are published in order
     * @param payload the message body, never a secret: the outbox is plain text
     * @return the message id
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID append(String topic, String key, Map<String, ?> payload) {
        var id = UUID.randomUUID();
        jdbc.sql("""
                        insert into outbox (id, tenant_id, topic, message_key, payload, created_at)
                        values (?, ?, ?, ?, cast(? as jsonb), ?)""")
                .params(
                        id,
                        Tenancy.current().value(),
                        topic,
                        key,
                        json.writeValueAsString(payload),
                        Timestamp.from(Instant.now(clock)))
                .update();
        events.publishEvent(new OutboxAppended(id));
        return id;
    }
}
