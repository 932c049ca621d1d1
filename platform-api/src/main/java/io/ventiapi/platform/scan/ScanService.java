package io.ventiapi.platform.scan;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbox.Outbox;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.scan.internal.ScanRepository;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.tenancy.Tenancy;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Scans of the bound tenant. Starting and cancelling need {@code scans:write}, reading {@code scans:read}. */
@Service
public class ScanService {

    /** Outbox topic of a scan to run; the relay publishes it to the runners' job stream. */
    public static final String SCAN_REQUESTED = "scan.requested";
    /** Outbox topic of a scan to stop; a runner working on it stops its workload. */
    public static final String SCAN_CANCELLED = "scan.cancelled";

    private static final String READ = "hasAuthority('SCOPE_" + Scopes.SCANS_READ + "')";
    private static final String WRITE = "hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')";

    private final ScanRepository scans;
    private final ProjectService projects;
    private final SpecService specs;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    ScanService(
            ScanRepository scans,
            ProjectService projects,
            SpecService specs,
            Outbox outbox,
            AuditLog audit,
            ObjectProvider<Clock> clock) {
        this.scans = scans;
        this.projects = projects;
        this.specs = specs;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Queues a scan of the project's newest spec version: the scan row and its {@code
     * scan.requested} outbox message commit together, so an accepted scan is never lost.
     *
     * @param profile the profile, or null for the project's default
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Scan start(UUID projectId, ScanProfile profile) {
        var project = projects.requireActive(projectId);
        var spec = specs.latestOf(projectId)
                .orElseThrow(() -> UserErrorException.invalid(
                        "projectId", "project " + projectId + " has no spec yet: upload or import one first"));
        var chosen = profile == null ? project.getDefaultProfile() : profile;
        var requestedBy = CurrentActor.find().map(Actor::name).orElse("system");
        var scan = scans.save(new Scan(projectId, spec.getId(), chosen, requestedBy, Instant.now(clock)));
        var message = new LinkedHashMap<String, Object>();
        message.put("scanId", scan.getId().toString());
        message.put("tenantId", Tenancy.current().value());
        message.put("projectId", projectId.toString());
        message.put("specVersionId", spec.getId().toString());
        message.put("profile", chosen.name());
        message.put("targetUrl", project.getTargetUrl());
        message.put("scannerKinds", project.getScannerKinds());
        message.put("rateLimit", project.getRateLimit());
        message.put("requestBudget", project.getRequestBudget());
        outbox.append(SCAN_REQUESTED, scan.getId().toString(), message);
        audit.record(
                "scan.start",
                "Scan",
                scan.getId().toString(),
                Map.of(
                        "projectId", projectId.toString(),
                        "profile", chosen.name(),
                        "specVersion", spec.getVersion()));
        return scan;
    }

    /** Cancels a queued or running scan. */
    @Transactional
    @PreAuthorize(WRITE)
    public Scan cancel(UUID id) {
        var scan = scans.findById(id).orElseThrow(() -> UserErrorException.notFound("scan", id));
        if (!scan.getStatus().isActive()) {
            throw UserErrorException.conflict("scan " + id + " has already ended (" + scan.getStatus() + ")");
        }
        scan.cancel(Instant.now(clock));
        outbox.append(
                SCAN_CANCELLED,
                id.toString(),
                Map.of("scanId", id.toString(), "tenantId", Tenancy.current().value()));
        audit.record(
                "scan.cancel",
                "Scan",
                id.toString(),
                Map.of("projectId", scan.getProjectId().toString()));
        return scan;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Optional<Scan> find(UUID id) {
        return scans.findById(id);
    }

    /** The scans with these ids; ids of other tenants find nothing. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public List<Scan> findAll(Collection<UUID> ids) {
        return scans.findAllById(ids);
    }

    /** A project's scans, newest first. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Window<Scan> listForProject(UUID projectId, ScrollPosition position, Limit limit) {
        return scans.findByProjectId(
                projectId, position, limit, Sort.by(Sort.Order.desc("queuedAt"), Sort.Order.desc("id")));
    }

    /** The most recent scan of each project that has one. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<UUID, Scan> latest(Collection<UUID> projectIds) {
        return scans.findLatest(projectIds).stream()
                .collect(Collectors.toMap(Scan::getProjectId, Function.identity(), (a, b) -> a));
    }

    /**
     * Adds findings a scan reported for the first time to its counts; called by the finding
     * recorder in its transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    @PreAuthorize(WRITE)
    public void addFindings(UUID scanId, SeverityCounts counts) {
        scans.findById(scanId)
                .orElseThrow(() -> UserErrorException.notFound("scan", scanId))
                .addFindings(counts);
    }
}
