package io.ventiapi.platform.finding.internal;

import io.ventiapi.platform.common.IsoInstants;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingFilter;
import io.ventiapi.platform.finding.FindingOrder;
import io.ventiapi.platform.finding.FindingPage;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.tenancy.Tenancy;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.hibernate.query.NativeQuery;
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

    /**
     * One page, and with it each finding's project and last-seen scan when asked for: joined in the
     * same statement, so a page that shows them costs one round trip instead of three.
     */
    public FindingPage search(
            FindingFilter filter,
            FindingOrder order,
            ScrollPosition position,
            int limit,
            boolean withProjects,
            boolean withLastSeenScans) {
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
        // The page is cut first and joined after: joined before its limit, the planner walks every
        // matching finding of the tenant and sorts them (20 ms at 10,000 findings), where the
        // page alone reads its 51 rows from the index. The limit is written into the statement (an
        // int, never text from the request): bound as a parameter, PostgreSQL's generic plan cannot
        // know it and guesses a tenth of the rows, so with thousands of findings per tenant it kept
        // planning the statement again for every page, about 0.3 ms of its CPU each time (pgbench,
        // docs/benchmarks.md). PostgreSQL may still plan per page where one tenant dwarfs the rest.
        // The joined rows name the tenant itself, not "the finding's tenant": equated with the
        // page's column, row-level security's tenant check was carried onto the cut page, where the
        // planner took it to leave one row and scanned the tenant's projects once per finding.
        // A page's findings mostly share a few projects and scans, so a project (a scan) is joined
        // only to a row whose project differs from the previous row's (lag() over the page's own
        // order, which the cut page already has: no sort), which still joins each of them at least
        // once; the other rows carry nulls there, which Hibernate reads as no entity. Without every
        // column of the same project and scan on every row, the page's transaction served 12 %
        // more pages a second (pgbench, docs/benchmarks.md).
        var page = new StringBuilder("(select * from findings f")
                .append(where)
                .append(orderBy)
                .append(" limit ")
                .append(limit + 1)
                .append(") f");
        var sql = new StringBuilder("select {f.*}");
        var from = new StringBuilder(" from ");
        if (withProjects || withLastSeenScans) {
            from.append("(select f.*,")
                    .append(" f.project_id is distinct from lag(f.project_id) over page as first_of_project,")
                    .append(" f.last_seen_scan_id is distinct from lag(f.last_seen_scan_id) over page")
                    .append(" as first_of_scan from ")
                    .append(page)
                    .append(" window page as (")
                    .append(orderBy.strip())
                    .append(")) f");
        } else {
            from.append(page);
        }
        if (withProjects) {
            sql.append(", {p.*}");
            from.append(
                    " left join projects p on f.first_of_project and p.id = f.project_id and p.tenant_id = :tenant");
        }
        if (withLastSeenScans) {
            sql.append(", {s.*}");
            from.append(
                    " left join scans s on f.first_of_scan and s.id = f.last_seen_scan_id and s.tenant_id = :tenant");
        }
        @SuppressWarnings("unchecked")
        NativeQuery<Object> query = entityManager
                .unwrap(Session.class)
                .createNativeQuery(sql.append(from).append(orderBy).toString());
        query.addEntity("f", Finding.class);
        if (withProjects) {
            query.addEntity("p", Project.class);
        }
        if (withLastSeenScans) {
            query.addEntity("s", Scan.class);
        }
        parameters.forEach(query::setParameter);
        var rows = query.getResultList();
        boolean hasNext = rows.size() > limit;
        var findings = new ArrayList<Finding>(Math.min(rows.size(), limit));
        var projects = new HashMap<UUID, Project>();
        var scans = new HashMap<UUID, Scan>();
        for (var row : hasNext ? rows.subList(0, limit) : rows) {
            if (!(row instanceof Object[] columns)) {
                findings.add((Finding) row);
                continue;
            }
            findings.add((Finding) columns[0]);
            for (int i = 1; i < columns.length; i++) {
                switch (columns[i]) {
                    case Project project -> projects.put(project.getId(), project);
                    case Scan scan -> scans.put(scan.getId(), scan);
                    case null, default -> {}
                }
            }
        }
        var window = Window.from(
                findings, index -> Cursor.of(findings.get(index), order).position(), hasNext);
        return new FindingPage(window, projects, scans);
    }

    private static Map<String, Object> keys(ScrollPosition position) {
        if (position instanceof KeysetScrollPosition keyset) {
            return keyset.getKeys();
        }
        throw UserErrorException.invalid("after", "not a cursor of the findings list");
    }

    /**
     * The sort key of one row in one order: a cursor of the severity order carries the rank, one
     * of the last-seen order does not, so a cursor taken in one order is refused in the other
     * instead of skipping or repeating rows.
     */
    private record Cursor(FindingOrder order, short rank, Instant seen, UUID id) {

        static Cursor of(Finding finding, FindingOrder order) {
            return new Cursor(order, (short) finding.getSeverity().rank(), finding.getLastSeenAt(), finding.getId());
        }

        static Cursor read(Map<String, Object> keys, FindingOrder order) {
            boolean ranked = order == FindingOrder.SEVERITY;
            try {
                if (keys.size() != (ranked ? 3 : 2)) {
                    throw new IllegalArgumentException("not this order's keys");
                }
                short rank = ranked ? ((Number) keys.get(RANK)).shortValue() : 0;
                return new Cursor(order, rank, IsoInstants.parse((String) keys.get(SEEN)), UUID.fromString((String)
                        keys.get(ID)));
            } catch (ClassCastException | NullPointerException | DateTimeParseException | IllegalArgumentException e) {
                throw UserErrorException.invalid("after", "not a cursor of the findings list in this order");
            }
        }

        ScrollPosition position() {
            var keys = new LinkedHashMap<String, Object>();
            if (order == FindingOrder.SEVERITY) {
                keys.put(RANK, (int) rank);
            }
            keys.put(SEEN, IsoInstants.format(seen));
            keys.put(ID, id.toString());
            return ScrollPosition.forward(keys);
        }
    }
}
