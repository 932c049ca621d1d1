package io.ventiapi.platform.audit;

import io.micrometer.tracing.Tracer;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.SecretRedactor;
import io.ventiapi.tenancy.Tenancy;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit events. Called by application services inside the transaction of the change it
 * records, so the change and its event commit or roll back together; the event is written as the
 * transaction commits.
 */
@Service
public class AuditLog {

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(secret|pass|pwd|token|credential|private|api[_-]?key|access[_-]?key|authorization|bearer|jwt"
                    + "|signature|cookie|session).*");
    /** Translates as the transaction manager does at commit. */
    private static final HibernateJpaDialect JPA = new HibernateJpaDialect();
    /** The "previous hash" of a tenant's first event. */
    static final String GENESIS = "0".repeat(64);

    private final JdbcClient jdbc;
    private final EntityManager entityManager;
    private final ObjectProvider<Tracer> tracer;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditLog(JdbcClient jdbc, EntityManager entityManager, ObjectProvider<Tracer> tracer, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.entityManager = entityManager;
        this.tracer = tracer;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Records that the current actor did {@code action} to a target, in the bound tenant. The event
     * is written when the transaction commits, after everything else it changed: the tenant's
     * chain is one writer at a time, so its lock is the last any transaction takes, and two
     * transactions that lock rows and the chain can never wait on each other in a circle.
     *
     * @param summary the input, as the actor gave it; values under secret-like keys are redacted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String targetType, String targetId, Map<String, ?> summary) {
        var request = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest()
                : null;
        record(
                action,
                targetType,
                targetId,
                summary,
                request == null ? null : request.getRemoteAddr(),
                request == null ? null : request.getHeader("User-Agent"));
    }

    /**
     * As {@link #record(String, String, String, Map)}, with the address and browser of the request
     * it is about given: for work done once that request has been answered.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(
            String action,
            String targetType,
            String targetId,
            Map<String, ?> summary,
            String sourceIp,
            String userAgent) {
        var actor = CurrentActor.find();
        pending()
                .add(new Event(
                        UUID.randomUUID(),
                        Tenancy.current().value(),
                        null,
                        field(actor.map(Actor::accountableName).orElse("system")),
                        actor.map(a -> a.type().name()).orElse("SYSTEM"),
                        field(action),
                        field(targetType),
                        field(targetId),
                        sourceIp == null ? null : optionalField(sourceIp),
                        userAgent == null ? null : optionalField(userAgent),
                        optionalField(traceId()),
                        json.writeValueAsString(redact(summary))));
    }

    /** The events this transaction recorded so far, written just before it commits. */
    private List<Event> pending() {
        for (var synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Writer writer) {
                if (writer.written) {
                    throw new IllegalStateException(
                            "an audit event recorded after its transaction's events were written");
                }
                return writer.events;
            }
        }
        var writer = new Writer();
        TransactionSynchronizationManager.registerSynchronization(writer);
        return writer.events;
    }

    private final class Writer implements TransactionSynchronization {

        private final List<Event> events = new ArrayList<>();
        private boolean written;

        @Override
        public void beforeCommit(boolean readOnly) {
            // The transaction's own row changes first, so their locks come before the chain's.
            try {
                entityManager.flush();
            } catch (RuntimeException e) {
                // As the commit would have reported it: a DataAccessException, which callers that
                // retry (the scan event persister) know to retry.
                var translated = JPA.translateExceptionIfPossible(e);
                throw translated != null ? translated : e;
            }
            events.forEach(AuditLog.this::write);
            written = true;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    private void write(Event recorded) {
        var tenant = recorded.tenant();
        // One writer per tenant chain at a time: the lock lasts until this transaction ends.
        jdbc.sql("select pg_advisory_xact_lock(hashtext('audit:' || ?))")
                .param(tenant)
                .query()
                .singleValue();
        var event = recorded.at(Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        var last = jdbc.sql("select seq, hash from audit_events where tenant_id = ? order by seq desc limit 1")
                .param(tenant)
                .query((rs, n) -> new Link(rs.getLong("seq"), rs.getString("hash")))
                .optional()
                .orElse(new Link(0, GENESIS));
        long seq = last.seq() + 1;
        String hash = chain(last.hash(), seq, event);
        jdbc.sql("""
                        insert into audit_events (id, tenant_id, seq, occurred_at, actor, actor_type, action,
                            target_type, target_id, source_ip, user_agent, trace_id, summary, prev_hash, hash)
                        values (:id, :tenant, :seq, :at, :actor, :actorType, :action, :targetType, :targetId,
                            :sourceIp, :userAgent, :traceId, :summary, :prev, :hash)""")
                .param("id", event.id())
                .param("tenant", tenant)
                .param("seq", seq)
                .param("at", java.sql.Timestamp.from(event.occurredAt()))
                .param("actor", event.actor())
                .param("actorType", event.actorType())
                .param("action", event.action())
                .param("targetType", event.targetType())
                .param("targetId", event.targetId())
                .param("sourceIp", event.sourceIp())
                .param("userAgent", event.userAgent())
                .param("traceId", event.traceId())
                .param("summary", event.summary())
                .param("prev", last.hash())
                .param("hash", hash)
                .update();
    }

    /** Separates the fields of an event in the hashed form; no written field holds it. */
    static final char SEPARATOR = '\u001f';

    /**
     * How the chain hashes an empty field. The fields a request fills, or leaves empty (source IP,
     * user agent, trace id), never hold it as text since {@link #NULL_TEXT_SINCE}.
     */
    static final String NULL_TEXT = "null";

    /** When events stopped holding {@link #NULL_TEXT} in the fields a request fills. */
    static final Instant NULL_TEXT_SINCE = Instant.parse("2026-12-07T11:00:00Z");

    /** The longest text field an event keeps (a user agent, a name from an identity provider). */
    static final int MAX_FIELD = 1_000;

    /**
     * A text field as the chain keeps it: control characters (the {@link #SEPARATOR} among them)
     * become U+FFFD, and it is cut at {@link #MAX_FIELD} characters. Some fields come from outside
     * (a user agent, an identity provider's names); one holding the separator would let whoever
     * can edit rows move it between fields without changing the hash.
     */
    static String field(String value) {
        if (value == null) {
            return null;
        }
        var kept = value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
        var clean = new StringBuilder(kept.length());
        kept.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? 0xFFFD : c));
        return clean.toString();
    }

    /**
     * A field a request fills or leaves empty, as the chain keeps it: as {@link #field}, and the
     * text {@value #NULL_TEXT} (a user agent anyone can send) as {@code (null)}, since it hashes
     * as an empty field does and one could be swapped for the other unnoticed.
     */
    static String optionalField(String value) {
        return NULL_TEXT.equals(value) ? "(null)" : field(value);
    }

    /** sha256 over the previous hash and every field of the event, in a fixed order. */
    static String chain(String previousHash, long seq, Event event) {
        var canonical = String.join(
                String.valueOf(SEPARATOR),
                previousHash,
                Long.toString(seq),
                event.id().toString(),
                event.tenant(),
                event.occurredAt().toString(),
                event.actor(),
                event.actorType(),
                event.action(),
                event.targetType(),
                String.valueOf(event.targetId()),
                String.valueOf(event.sourceIp()),
                String.valueOf(event.userAgent()),
                String.valueOf(event.traceId()),
                event.summary());
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String traceId() {
        var t = tracer.getIfAvailable();
        var span = t == null ? null : t.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    /**
     * The summary with the value of every key that names a secret replaced, at any depth, and
     * credentials in other text (a bearer token, a URL's password or secret query parameter) cut
     * out of it.
     */
    static Map<String, Object> redact(Map<?, ?> summary) {
        var redacted = new TreeMap<String, Object>();
        summary.forEach((key, value) -> {
            var name = String.valueOf(key);
            redacted.put(name, value != null && SECRET_KEY.matcher(name).matches() ? "[redacted]" : redactValue(value));
        });
        return redacted;
    }

    private static Object redactValue(Object value) {
        return switch (value) {
            case Map<?, ?> map -> redact(map);
            case Collection<?> list -> list.stream().map(AuditLog::redactValue).toList();
            case String text -> SecretRedactor.redact(text, List.of());
            case null, default -> value;
        };
    }

    record Link(long seq, String hash) {}

    record Event(
            UUID id,
            String tenant,
            Instant occurredAt,
            String actor,
            String actorType,
            String action,
            String targetType,
            String targetId,
            String sourceIp,
            String userAgent,
            String traceId,
            String summary) {

        /** The same event, written at {@code time} (its time in the chain's order). */
        Event at(Instant time) {
            return new Event(
                    id,
                    tenant,
                    time,
                    actor,
                    actorType,
                    action,
                    targetType,
                    targetId,
                    sourceIp,
                    userAgent,
                    traceId,
                    summary);
        }
    }
}
