package io.ventiapi.platform.finding.internal;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingFilter;
import io.ventiapi.platform.finding.FindingOrder;
import io.ventiapi.tenancy.Tenancy;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.stereotype.Component;

/**
 * The findings list as one keyset query in SQL: filters, then a row comparison against the last row of
 * the previous page ({@code (severity_rank, last_seen_at, id) < (…)}), which PostgreSQL answers
 * from the matching index without counting or skipping rows, however deep the page. Cursors carry
 * plain values (rank, ISO instant, id), so they survive any JSON round trip.
 */
@Component
public class FindingSearch {

    private static final String RANK = "rank";
    private static final String SEEN = "seen";
    private static final String ID = "id";

    private final EntityManager entityManager;

    FindingSearch(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Window<Finding> search(FindingFilter filter, FindingOrder order, ScrollPosition position, int limit) {
        // Plain SQL rather than JPQL: Hibernate does not cache the translation of queries on
        // tenant-owned entities (their @TenantId filter), and this one runs on every page. The
        // tenant is named explicitly, so the planner uses the (tenant_id, …) index; row-level
        // security applies as on every query.
        var where = new StringBuilder(" where f.tenant_id = :tenant");
        var parameters = new HashMap<String, Object>();
        parameters.put("tenant", Tenancy.current().value());
        if (filter.projectId() != null) {
            where.append(" and f.project_id = :projectId");
            parameters.put("projectId", filter.projectId());
        }
        if (filter.minSeverity() != null) {
            where.append(" and f.severity_rank >= :minRank");
            parameters.put("minRank", (short) filter.minSeverity().rank());
        }
        if (filter.status() != null) {
            where.append(" and f.status = :status");
            parameters.put("status", filter.status().name());
        }
        if (filter.category() != null) {
            where.append(" and f.category = :category");
            parameters.put("category", filter.category().name());
        }
        if (filter.ruleId() != null) {
            where.append(" and f.rule_id = :ruleId");
            parameters.put("ruleId", filter.ruleId());
        }
        var after = keys(position);
        if (!after.isEmpty()) {
            var last = Cursor.read(after, order);
            if (order == FindingOrder.SEVERITY) {
                where.append(" and (f.severity_rank, f.last_seen_at, f.id) < (:afterRank, :afterSeen, :afterId)");
                parameters.put("afterRank", last.rank());
            } else {
                where.append(" and (f.last_seen_at, f.id) < (:afterSeen, :afterId)");
            }
            parameters.put("afterSeen", last.seen());
            parameters.put("afterId", last.id());
        }
        var orderBy = order == FindingOrder.SEVERITY
                ? " order by f.severity_rank desc, f.last_seen_at desc, f.id desc"
                : " order by f.last_seen_at desc, f.id desc";
        var query = entityManager.createNativeQuery(
                "select f.* from findings f" + where + orderBy + " limit :limit", Finding.class);
        parameters.forEach(query::setParameter);
        query.setParameter("limit", limit + 1);
        @SuppressWarnings("unchecked")
        List<Finding> rows = query.getResultList();
        boolean hasNext = rows.size() > limit;
        List<Finding> page = hasNext ? rows.subList(0, limit) : rows;
        return Window.from(page, index -> Cursor.of(page.get(index)).position(), hasNext);
    }

    private static Map<String, Object> keys(ScrollPosition position) {
        if (position instanceof KeysetScrollPosition keyset) {
            return keyset.getKeys();
        }
        throw UserErrorException.invalid("after", "not a cursor of the findings list");
    }

    /** The sort key of one row. */
    private record Cursor(short rank, Instant seen, UUID id) {

        static Cursor of(Finding finding) {
            return new Cursor((short) finding.getSeverity().rank(), finding.getLastSeenAt(), finding.getId());
        }

        static Cursor read(Map<String, Object> keys, FindingOrder order) {
            try {
                short rank = order == FindingOrder.SEVERITY ? ((Number) keys.get(RANK)).shortValue() : 0;
                return new Cursor(rank, Instant.parse((String) keys.get(SEEN)), UUID.fromString((String) keys.get(ID)));
            } catch (ClassCastException | NullPointerException | DateTimeParseException | IllegalArgumentException e) {
                throw UserErrorException.invalid("after", "not a cursor of the findings list in this order");
            }
        }

        ScrollPosition position() {
            var keys = new LinkedHashMap<String, Object>();
            keys.put(RANK, (int) rank);
            keys.put(SEEN, seen.toString());
            keys.put(ID, id.toString());
            return ScrollPosition.forward(keys);
        }
    }
}
