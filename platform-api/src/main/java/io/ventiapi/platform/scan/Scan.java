package io.ventiapi.platform.scan;

import io.ventiapi.platform.project.ScanProfile;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** One run of the scanners against a project's target, with the spec version it was started on. */
@Entity
@Table(name = "scans")
public class Scan {

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

    protected Scan() {}

    Scan(UUID projectId, UUID specVersionId, ScanProfile profile, String requestedBy, Instant now) {
        this.id = UUID.randomUUID();
        this.projectId = projectId;
        this.specVersionId = specVersionId;
        this.profile = profile;
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

    void cancel(Instant now) {
        this.status = ScanStatus.CANCELLED;
        this.finishedAt = now;
    }

    void addFindings(SeverityCounts counts) {
        infoCount += counts.info();
        lowCount += counts.low();
        mediumCount += counts.medium();
        highCount += counts.high();
        criticalCount += counts.critical();
    }
}
