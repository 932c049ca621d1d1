package io.ventiapi.platform.scan;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.NestedPages;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.SecretRedactor;
import io.ventiapi.platform.common.TenantQuotas;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbox.Outbox;
import io.ventiapi.platform.project.ProjectArchived;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.scan.internal.ScanRepository;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.platform.tenant.TenantStatus;
import io.ventiapi.platform.tenant.TenantSuspended;
import io.ventiapi.tenancy.Tenancy;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final TenantService tenants;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TenantQuotas quotas;
    private final EntityManager entityManager;
    private final TransactionTemplate tx;
    private final Clock clock;

    ScanService(
            ScanRepository scans,
            ProjectService projects,
            SpecService specs,
            TenantService tenants,
            Outbox outbox,
            AuditLog audit,
            TenantQuotas quotas,
            EntityManager entityManager,
            TransactionTemplate tx,
            ObjectProvider<Clock> clock) {
        this.scans = scans;
        this.projects = projects;
        this.specs = specs;
        this.tenants = tenants;
        this.outbox = outbox;
        this.audit = audit;
        this.quotas = quotas;
        this.entityManager = entityManager;
        this.tx = tx;
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
        quotas.requireRoom(TenantQuotas.Quota.ACTIVE_SCANS, scans::countActive);
        var requestedBy = CurrentActor.find().map(Actor::accountableName).orElse("system");
        var scan = scans.save(
                new Scan(projectId, spec.getId(), chosen, project.getScannerKinds(), requestedBy, Instant.now(clock)));
        var message = new LinkedHashMap<String, Object>();
        message.put("scanId", scan.getId().toString());
        message.put("tenantId", Tenancy.current().value());
        message.put("projectId", projectId.toString());
        message.put("specVersionId", spec.getId().toString());
        message.put("profile", chosen.name());
        message.put("targetUrl", project.getTargetUrl());
        message.put("scannerKinds", project.getScannerKinds());
        message.put("customScannerImage", project.getCustomScannerImage());
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
        var scan = require(id);
        if (!scan.getStatus().isActive()) {
            throw UserErrorException.conflict("scan " + id + " has already ended (" + scan.getStatus() + ")");
        }
        scan.cancel(Instant.now(clock), null);
        stopWorkload(id);
        audit.record(
                "scan.cancel",
                "Scan",
                id.toString(),
                Map.of("projectId", scan.getProjectId().toString()));
        return scan;
    }

    /**
     * Cancels an archived project's queued and running scans, in the archiving transaction: an
     * archived project takes no scans, and its findings no longer change. Archiving authorized it.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void projectArchived(ProjectArchived archived) {
        var now = Instant.now(clock);
        for (var scan : scans.findActiveForUpdate(archived.projectId())) {
            cancelBecause(scan, now, "project.archive", "its project was archived");
        }
    }

    /**
     * Cancels a suspended tenant's queued and running scans and tells their workloads to stop, as
     * archiving a project does its own: a tenant is suspended for what it does with the platform
     * (scanning an API that is not its own, say), and its scans must not go on sending traffic
     * until their time boxes run out. The suspension authorized it.
     */
    @EventListener
    public void tenantSuspended(TenantSuspended suspended) {
        Tenancy.run(suspended.tenant(), this::cancelAllOfTenant);
    }

    /**
     * Does the same if the bound tenant is suspended: for a suspension that could not cancel all of
     * its scans (the database went away, or the replica stopped, on the way). Returns how many it
     * cancelled.
     */
    @PreAuthorize(WRITE)
    public int cancelIfTenantSuspended() {
        return tenants.current().getStatus() == TenantStatus.SUSPENDED ? cancelAllOfTenant() : 0;
    }

    private int cancelAllOfTenant() {
        int cancelled = 0;
        // A transaction per scan, holding only its row: the outbox relay, failing the tenant's
        // queued scans at dispatch meanwhile, locks several in its batch's order, and holding
        // several in another order each could wait for a row the other holds (ADR 14).
        for (var id : tx.execute(status -> scans.findActiveIds())) {
            var done = tx.execute(status -> {
                var scan = require(id);
                if (!scan.getStatus().isActive()) {
                    return false;
                }
                cancelBecause(scan, Instant.now(clock), "tenant.suspend", "its tenant was suspended");
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * Cancels an active scan locked by the caller, as a consequence of {@code because} (the action
     * audited), and tells its workload to stop.
     */
    private void cancelBecause(Scan scan, Instant now, String because, String reason) {
        scan.cancel(now, reason);
        stopWorkload(scan.getId());
        audit.record(
                "scan.cancel",
                "Scan",
                scan.getId().toString(),
                Map.of("projectId", scan.getProjectId().toString(), "because", because));
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
        return scans.findByIds(Tenancy.current().value(), ids);
    }

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("queuedAt"), Sort.Order.desc("id"));

    /** A page of a project's scans, newest first: up to {@code limit} after {@code position}. */
    public static NestedPages.Page scansPage(UUID projectId, ScrollPosition position, Limit limit) {
        return NestedPages.Page.of(projectId, Keysets.checked(position, NEWEST_FIRST, Scan.class), limit.max());
    }

    /** The pages asked for; pages of several projects asked from the same place are read together. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<NestedPages.Page, Window<Scan>> pages(Collection<NestedPages.Page> pages) {
        return NestedPages.read(
                pages,
                (projectIds, after, rows) -> scans
                        .findPages(
                                Tenancy.current().value(),
                                projectIds,
                                after.isEmpty(),
                                (Instant) after.getOrDefault("queuedAt", Instant.EPOCH),
                                (UUID) after.getOrDefault("id", new UUID(0, 0)),
                                rows)
                        .stream()
                        .collect(Collectors.groupingBy(Scan::getProjectId)),
                Function.identity(),
                scan -> Map.of("queuedAt", scan.getQueuedAt(), "id", scan.getId()));
    }

    /** The most recent scan of each project that has one. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<UUID, Scan> latest(Collection<UUID> projectIds) {
        return scans.findLatest(projectIds).stream()
                .collect(Collectors.toMap(Scan::getProjectId, Function.identity(), (a, b) -> a));
    }

    /** The scanner started: a queued scan is now {@code RUNNING}. Empty if it had moved on already. */
    @Transactional
    @PreAuthorize(WRITE)
    public Optional<Scan> scannerStarted(UUID id, Instant at) {
        var scan = require(id);
        if (!scan.started(at, Instant.now(clock))) {
            return Optional.empty();
        }
        audit.record(
                "scan.run",
                "Scan",
                id.toString(),
                Map.of("projectId", scan.getProjectId().toString()));
        return Optional.of(scan);
    }

    /**
     * The scanner's latest progress (not audited: it changes nothing anyone decided). Empty once
     * the scan has ended.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Optional<Scan> scannerProgressed(UUID id, String phase, int requestsSent, int percent) {
        var scan = require(id);
        return scan.progressed(phase, requestsSent, percent) ? Optional.of(scan) : Optional.empty();
    }

    /** The scanner's own last word: how its scan ended ({@code COMPLETED}, {@code FAILED}, …) and why. */
    @Transactional
    @PreAuthorize(WRITE)
    public void scannerFinished(UUID id, String outcome, String reason, int requestsSent) {
        var scan = require(id);
        scan.scannerFinished(outcome, redacted(scan, reason), requestsSent);
    }

    /**
     * A reason given by a scanner or its workload with the project's identity secrets and anything
     * like a credential cut out: a custom scanner may quote what it sent. (The scan cuts it to
     * {@link Scan#MAX_REASON} characters.)
     */
    private String redacted(Scan scan, String reason) {
        if (reason == null || reason.isBlank()) {
            return reason;
        }
        return SecretRedactor.redact(reason, projects.identitySecrets(scan.getProjectId()));
    }

    /**
     * The workload ended ({@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code
     * CANCELLED}): ends the scan. A workload that exited cleanly succeeded only if its scanner said
     * so: a scanner that reported a failure, ran out of its time box or never said it finished
     * makes the scan fail or time out. Empty if the scan had ended already.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Optional<Scan> workloadEnded(UUID id, String workloadOutcome, String reason) {
        var scan = require(id);
        var status = ScanStatus.FAILED;
        var why = reason;
        switch (workloadOutcome) {
            case "SUCCEEDED" -> {
                var said = scan.getScannerOutcome();
                if (said == null) {
                    why = "the scanner exited without reporting the end of the scan";
                } else if (said.equals("TIME_BOX_EXCEEDED")) {
                    status = ScanStatus.TIMED_OUT;
                    why = "the scan's time box ran out";
                } else if (said.equals("FAILED")) {
                    why = scan.getFailureReason();
                } else {
                    status = ScanStatus.SUCCEEDED;
                }
            }
            case "TIMED_OUT" -> {
                status = ScanStatus.TIMED_OUT;
                why = "the scan's time box ran out and its workload was stopped";
            }
            case "CANCELLED" -> status = ScanStatus.CANCELLED;
            default -> why = reason == null || reason.isBlank() ? "the scanner failed" : redacted(scan, reason);
        }
        return end(scan, status, why);
    }

    /**
     * Ends a queued or running scan {@code FAILED} because the platform could not store something
     * its scanner reported: its findings are incomplete, so it closes none as fixed, and its
     * workload is told to stop, as for a cancel. Empty if the scan had ended already.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Optional<Scan> abandon(UUID id, String reason) {
        var ended = end(require(id), ScanStatus.FAILED, reason);
        ended.ifPresent(scan -> stopWorkload(id));
        return ended;
    }

    /**
     * Ends {@code FAILED} a queued scan whose job cannot be sent to the runners as its project or
     * tenant is now, and tells its workload to stop, as {@link #abandon} does: a job of it published
     * before (by a relay batch whose commit then failed) may be with a runner already. Empty if the
     * scan is no longer queued: one that started runs on as it was dispatched, and one that ended
     * stays as it ended.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Optional<Scan> dispatchFailed(UUID id, String reason) {
        var scan = require(id);
        if (scan.getStatus() != ScanStatus.QUEUED) {
            return Optional.empty();
        }
        var ended = end(scan, ScanStatus.FAILED, reason);
        ended.ifPresent(failed -> stopWorkload(id));
        return ended;
    }

    /**
     * Ends {@code TIMED_OUT} the running scans of the bound tenant that started before {@code
     * startedBefore}, at most {@code limit} of them, and tells their workloads to stop: their runner
     * has gone quiet for good (Redis lost the job or its end), and nothing else would end them.
     * Audited as any end. Returns how many it ended.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public int endOverdue(Instant startedBefore, int limit) {
        int ended = 0;
        // Locked in id order, as archiving a project locks its scans (ADR 14): in another order the
        // two could each hold a scan the other waits for. PostgreSQL orders uuids as their text does.
        var overdue = scans.findRunningStartedBefore(startedBefore, Limit.of(limit)).stream()
                .sorted(Comparator.comparing(UUID::toString))
                .toList();
        for (var id : overdue) {
            var scan = require(id);
            // Re-read under its lock: it may have ended meanwhile.
            if (scan.getStartedAt() != null
                    && scan.getStartedAt().isBefore(startedBefore)
                    && end(
                                    scan,
                                    ScanStatus.TIMED_OUT,
                                    "still running at twice its time box: its runner is taken for gone")
                            .isPresent()) {
                stopWorkload(id);
                ended++;
            }
        }
        return ended;
    }

    /** Tells the runner holding the scan, if any, to stop its workload (in the caller's transaction). */
    private void stopWorkload(UUID id) {
        outbox.append(
                SCAN_CANCELLED,
                id.toString(),
                Map.of("scanId", id.toString(), "tenantId", Tenancy.current().value()));
    }

    private Optional<Scan> end(Scan scan, ScanStatus status, String why) {
        if (!scan.end(status, why, Instant.now(clock))) {
            return Optional.empty();
        }
        var summary = new LinkedHashMap<String, Object>();
        summary.put("projectId", scan.getProjectId().toString());
        summary.put("status", status.name());
        if (status != ScanStatus.SUCCEEDED && scan.getFailureReason() != null) {
            summary.put("reason", scan.getFailureReason());
        }
        audit.record("scan.end", "Scan", scan.getId().toString(), summary);
        return Optional.of(scan);
    }

    /** Stores how a succeeded scan compares with earlier ones; called by the finding recorder in its transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    @PreAuthorize(WRITE)
    public void recordChanges(UUID id, ScanChanges changes) {
        require(id).recordChanges(changes);
    }

    /**
     * The scan, its row locked for the caller's transaction: what records a scan's findings locks
     * it first, as every change of the scan's state does, so the two wait for each other in the
     * same order.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    @PreAuthorize(WRITE)
    public Scan lock(UUID id) {
        return require(id);
    }

    /**
     * The scan to change, locked and read under its lock: changes of one scan's state happen one
     * after the other, each from the state the one before left.
     */
    private Scan require(UUID id) {
        var scan = scans.findForUpdate(id).orElseThrow(() -> UserErrorException.notFound("scan", id));
        // A scan this transaction read before the lock comes back from the query as it was read
        // then (the relay reads one, then waits for its project while an archive cancels it):
        // ended from that state, a cancel committed meanwhile would be overwritten.
        entityManager.refresh(scan);
        return scan;
    }

    /**
     * Adds findings a scan reported for the first time to its counts; called by the finding
     * recorder in its transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    @PreAuthorize(WRITE)
    public void addFindings(UUID scanId, SeverityCounts counts) {
        int updated = scans.addFindings(
                Tenancy.current().value(),
                scanId,
                counts.info(),
                counts.low(),
                counts.medium(),
                counts.high(),
                counts.critical());
        if (updated == 0) {
            throw UserErrorException.notFound("scan", scanId);
        }
    }
}
