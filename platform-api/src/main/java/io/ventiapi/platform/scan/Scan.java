package io.ventiapi.platform.scan;

import io.ventiapi.platform.project.ScanProfile;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.TenantId;

/** One run of the scanners against a project's target, with the spec version it was started on. */
@Entity
// Only the columns a change touched are written: concurrent changes to other columns (counts,
// archiving, triage) are not overwritten with what this transaction read earlier.
@DynamicUpdate
@Table(name = "scans")
public class Scan {

    /** The longest failure reason a scan keeps. */
    public static final int MAX_REASON = 2_000;

    private static String kept(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private UUID projectId;

    @Column(name = "spec_version_id", nullable = false, updatable = false)
    private UUID specVersionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private ScanProfile profile;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ScanStatus status;

    @Column(nullable = false)
    private int progress;

    @Column(name = "requested_by", nullable = false, updatable = false)
    private String requestedBy;

    @Column(name = "queued_at", nullable = false, updatable = false)
    private Instant queuedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "failure_reason")
    private String failureReason;

    @Column(name = "info_count", nullable = false)
    private int infoCount;

    @Column(name = "low_count", nullable = false)
    private int lowCount;

    @Column(name = "medium_count", nullable = false)
    private int mediumCount;

    @Column(name = "high_count", nullable = false)
    private int highCount;

    @Column(name = "critical_count", nullable = false)
    private int criticalCount;

    private String phase;

    @Column(name = "requests_sent", nullable = false)
    private int requestsSent;

    @Column(name = "scanner_outcome")
    private String scannerOutcome;

    @Column(name = "new_count", nullable = false)
    private int newCount;

    @Column(name = "recurring_count", nullable = false)
    private int recurringCount;

    @Column(name = "regressed_count", nullable = false)
    private int regressedCount;

    @Column(name = "fixed_count", nullable = false)
    private int fixedCount;

    /** The scanners it runs, space-separated, as its project had them when it was started. */
    @Column(name = "scanner_kinds", nullable = false, updatable = false)
    private String scannerKinds;

    protected Scan() {}

    Scan(
            UUID projectId,
            UUID specVersionId,
            ScanProfile profile,
            List<String> scannerKinds,
            String requestedBy,
            Instant now) {
        this.id = UUID.randomUUID();
        this.projectId = projectId;
        this.specVersionId = specVersionId;
        this.profile = profile;
        this.scannerKinds = String.join(" ", scannerKinds);
        this.status = ScanStatus.QUEUED;
        this.requestedBy = requestedBy;
        this.queuedAt = now;
    }

    public UUID getId() {
        return id;
    }

    public UUID getProjectId() {
        return projectId;
    }

    public UUID getSpecVersionId() {
        return specVersionId;
    }

    public ScanProfile getProfile() {
        return profile;
    }

    public ScanStatus getStatus() {
        return status;
    }

    /** Percent done, 0-100. */
    public int getProgress() {
        return progress;
    }

    /** The actor who started it. */
    public String getRequestedBy() {
        return requestedBy;
    }

    public Instant getQueuedAt() {
        return queuedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getFailureReason() {
        return failureReason;
    }

    public SeverityCounts getSeverityCounts() {
        return new SeverityCounts(infoCount, lowCount, mediumCount, highCount, criticalCount);
    }

    /** What the scanner is doing: {@code baseline}, {@code checks} or {@code cleanup}; null before it starts. */
    public String getPhase() {
        return phase;
    }

    /** Requests the scanner has sent to the target so far. */
    public int getRequestsSent() {
        return requestsSent;
    }

    /** How this scan's findings compare with the project's earlier scans; zeros until it succeeded. */
    public ScanChanges getChanges() {
        return new ScanChanges(newCount, recurringCount, regressedCount, fixedCount);
    }

    /**
     * The scanner said it started: a queued scan is now running. False if it had moved on already.
     *
     * @param at when the scanner says it started: its clock, or a custom image's say-so, so kept
     *     between when the scan was queued and {@code now}
     */
    boolean started(Instant at, Instant now) {
        if (status != ScanStatus.QUEUED) {
            return false;
        }
        status = ScanStatus.RUNNING;
        startedAt = at.isBefore(queuedAt) || at.isAfter(now) ? now : at;
        return true;
    }

    /**
     * The scanner's latest progress; progress never goes back, and the phase changes only with a
     * percentage that does not (a late {@code checks} after {@code cleanup} is not shown). False
     * once the scan has ended.
     */
    boolean progressed(String phase, int requestsSent, int percent) {
        if (!status.isActive()) {
            return false;
        }
        var percentage = Math.min(percent, 99);
        if (percentage >= this.progress) {
            this.phase = phase;
            this.progress = percentage;
        }
        this.requestsSent = Math.max(this.requestsSent, requestsSent);
        return true;
    }

    /** The scanner's own last word: how it ended ({@code COMPLETED}, {@code FAILED}, …) and why. */
    void scannerFinished(String outcome, String reason, int requestsSent) {
        if (!status.isActive()) {
            return;
        }
        this.scannerOutcome = outcome;
        this.requestsSent = Math.max(this.requestsSent, requestsSent);
        if (reason != null && !reason.isBlank()) {
            this.failureReason = kept(reason);
        }
    }

    /** The scanner's last word, if it said one. */
    String getScannerOutcome() {
        return scannerOutcome;
    }

    /**
     * Whether its scanners ran every check they planned ({@code COMPLETED}): a scan cut short by
     * its request budget succeeds, but what it did not reach it did not see fixed.
     */
    public boolean coveredEverything() {
        return "COMPLETED".equals(scannerOutcome);
    }

    /** Ends an active scan; false if it had ended already (a replayed event changes nothing). */
    boolean end(ScanStatus outcome, String reason, Instant now) {
        if (!status.isActive() || outcome.isActive()) {
            return false;
        }
        status = outcome;
        finishedAt = now;
        if (outcome == ScanStatus.SUCCEEDED) {
            progress = 100;
            failureReason = null;
        } else if (reason != null) {
            failureReason = kept(reason);
        }
        return true;
    }

    void recordChanges(ScanChanges changes) {
        newCount = changes.newFindings();
        recurringCount = changes.recurring();
        regressedCount = changes.regressed();
        fixedCount = changes.fixed();
    }

    /** @param reason why, shown with the scan; null to say no more than that it was cancelled */
    void cancel(Instant now, String reason) {
        this.status = ScanStatus.CANCELLED;
        this.finishedAt = now;
        if (reason != null) {
            this.failureReason = kept(reason);
        }
    }
}
