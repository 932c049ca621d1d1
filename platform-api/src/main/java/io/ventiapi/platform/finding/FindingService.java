package io.ventiapi.platform.finding;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.finding.internal.FindingEvidenceRepository;
import io.ventiapi.platform.finding.internal.FindingRepository;
import io.ventiapi.platform.finding.internal.FindingSearch;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Findings of the bound tenant. Reading needs {@code findings:read}, triage {@code findings:triage}. */
@Service
public class FindingService {

    static final String READ = "hasAuthority('SCOPE_" + Scopes.FINDINGS_READ + "')";
    private static final String TRIAGE = "hasAuthority('SCOPE_" + Scopes.FINDINGS_TRIAGE + "')";
    private static final int MAX_REASON = 2000;

    private final FindingRepository findings;
    private final FindingEvidenceRepository evidence;
    private final FindingSearch search;
    private final AuditLog audit;
    private final Clock clock;

    FindingService(
            FindingRepository findings,
            FindingEvidenceRepository evidence,
            FindingSearch search,
            AuditLog audit,
            ObjectProvider<Clock> clock) {
        this.findings = findings;
        this.evidence = evidence;
        this.search = search;
        this.audit = audit;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * One page of findings matching {@code filter}, in {@code order}, after {@code position}; with
     * their projects and last-seen scans when asked for and the caller holds {@code projects:read},
     * respectively {@code scans:read} (else those stay out, and reading them later is refused as
     * anywhere else).
     */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public FindingPage search(
            FindingFilter filter,
            FindingOrder order,
            ScrollPosition position,
            Limit limit,
            boolean withProjects,
            boolean withLastSeenScans) {
        return search.search(
                filter == null ? FindingFilter.NONE : filter,
                order == null ? FindingOrder.SEVERITY : order,
                position,
                limit.max(),
                withProjects && CurrentActor.holds(Scopes.PROJECTS_READ),
                withLastSeenScans && CurrentActor.holds(Scopes.SCANS_READ));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Optional<Finding> find(UUID id) {
        return findings.findById(id);
    }

    /** The evidence of each of {@code findingIds} that has any, by finding id: one statement. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<UUID, FindingEvidence> evidence(Collection<UUID> findingIds) {
        var byFinding = new HashMap<UUID, FindingEvidence>();
        evidence.findAllById(findingIds).forEach(shown -> byFinding.put(shown.getId(), shown));
        return byFinding;
    }

    /** Per project: findings by severity and by status. Projects without findings get zeros. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<UUID, FindingCounts> counts(Collection<UUID> projectIds) {
        var bySeverity = new HashMap<UUID, EnumMap<Severity, Integer>>();
        var openBySeverity = new HashMap<UUID, EnumMap<Severity, Integer>>();
        var byStatus = new HashMap<UUID, EnumMap<FindingStatus, Integer>>();
        for (var projectId : projectIds) {
            bySeverity.put(projectId, zeros(Severity.class));
            openBySeverity.put(projectId, zeros(Severity.class));
            byStatus.put(projectId, zeros(FindingStatus.class));
        }
        for (var row : findings.countByProjectSeverityAndStatus(projectIds)) {
            var projectId = (UUID) row[0];
            var severity = (Severity) row[1];
            var status = (FindingStatus) row[2];
            int count = ((Number) row[3]).intValue();
            bySeverity.get(projectId).merge(severity, count, Integer::sum);
            if (status == FindingStatus.OPEN) {
                openBySeverity.get(projectId).merge(severity, count, Integer::sum);
            }
            byStatus.get(projectId).merge(status, count, Integer::sum);
        }
        var counts = new LinkedHashMap<UUID, FindingCounts>();
        for (var projectId : projectIds) {
            var severities = severityCounts(bySeverity.get(projectId));
            var statuses = new ArrayList<FindingCounts.StatusCount>();
            byStatus.get(projectId).forEach((status, n) -> statuses.add(new FindingCounts.StatusCount(status, n)));
            int total = severities.stream()
                    .mapToInt(FindingCounts.SeverityCount::count)
                    .sum();
            counts.put(
                    projectId,
                    new FindingCounts(
                            projectId,
                            severities,
                            severityCounts(openBySeverity.get(projectId)),
                            List.copyOf(statuses),
                            total));
        }
        return counts;
    }

    private static List<FindingCounts.SeverityCount> severityCounts(EnumMap<Severity, Integer> counts) {
        var result = new ArrayList<FindingCounts.SeverityCount>();
        counts.forEach((severity, n) -> result.add(new FindingCounts.SeverityCount(severity, n)));
        return List.copyOf(result);
    }

    /**
     * Records a person's judgement. ACCEPTED_RISK needs a reason and may expire (a later date);
     * FIXED is for scans to decide.
     */
    @Transactional
    @PreAuthorize(TRIAGE)
    public Finding triage(UUID id, FindingStatus status, String reason, Instant expiresAt) {
        if (status == null) {
            throw UserErrorException.invalid("status", "say which status the finding gets");
        }
        if (status == FindingStatus.FIXED) {
            throw UserErrorException.invalid("status", "FIXED is set by a scan that no longer sees the finding");
        }
        var why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > MAX_REASON) {
            throw UserErrorException.invalid("reason", "a reason is at most " + MAX_REASON + " characters");
        }
        // As PostgreSQL keeps it: the payload shows what later reads show.
        var now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        if (status == FindingStatus.ACCEPTED_RISK && why == null) {
            throw UserErrorException.invalid("reason", "accepting a risk needs a reason");
        }
        if (expiresAt != null && status != FindingStatus.ACCEPTED_RISK) {
            throw UserErrorException.invalid("expiresAt", "only an accepted risk expires");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw UserErrorException.invalid("expiresAt", "the expiry must be in the future");
        }
        var finding = findings.findForUpdate(id).orElseThrow(() -> UserErrorException.notFound("finding", id));
        var actor = CurrentActor.find().map(Actor::accountableName).orElse("system");
        var expiry = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        var previous = finding.getStatus();
        finding.triage(status, why, expiry, actor, now);
        var summary = new LinkedHashMap<String, Object>();
        summary.put("status", status.name());
        summary.put("previousStatus", previous.name());
        if (why != null) {
            summary.put("reason", why);
        }
        if (expiry != null) {
            summary.put("expiresAt", expiry.toString());
        }
        if (status == FindingStatus.ACCEPTED_RISK) {
            // What was accepted: a scan that reports it more severe reopens it.
            summary.put("severity", finding.getSeverity().name());
        }
        audit.record("finding.triage", "Finding", id.toString(), summary);
        return finding;
    }

    /**
     * Reopens up to {@code max} of the bound tenant's accepted risks whose expiry has passed (or
     * closes them again, if they were accepted while a scan had them closed), each audited
     * ({@code finding.acceptanceLapsed}), in one transaction. Returns how many: fewer than {@code
     * max} when none is left. Bounded because the transaction holds its rows' locks and, as it
     * commits, the tenant's audit chain, which every other change of the tenant waits for: a caller
     * with more to do calls again.
     */
    @Transactional
    @PreAuthorize(TRIAGE)
    public int reopenLapsedAcceptances(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("reopen at least one lapsed acceptance at a time, not " + max);
        }
        var lapsed = findings.findByStatusAndTriageExpiresAtLessThanEqualOrderByIdAsc(
                FindingStatus.ACCEPTED_RISK, Instant.now(clock), Limit.of(max));
        for (var finding : lapsed) {
            var expiredAt = finding.getTriageExpiresAt();
            finding.lapse();
            auditLapse(audit, finding, expiredAt, Map.of());
        }
        return lapsed.size();
    }

    /**
     * The one event for an acceptance that ran out, whether the sweep or a scan that saw the
     * finding again reopened it; {@code more} says which scan, if one did.
     */
    static void auditLapse(AuditLog audit, Finding finding, Instant expiredAt, Map<String, Object> more) {
        var summary = new LinkedHashMap<String, Object>();
        summary.put("status", finding.getStatus().name());
        summary.put("expiredAt", expiredAt.toString());
        summary.putAll(more);
        audit.record("finding.acceptanceLapsed", "Finding", finding.getId().toString(), summary);
    }

    private static <E extends Enum<E>> EnumMap<E, Integer> zeros(Class<E> type) {
        var map = new EnumMap<E, Integer>(type);
        for (var value : type.getEnumConstants()) {
            map.put(value, 0);
        }
        return map;
    }
}
