package io.ventiapi.platform.finding;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.TenantId;

/**
 * A problem scans found in a project, one row per fingerprint: later scans that see it again
 * update it (last seen), so its history and triage survive from scan to scan.
 */
@Entity
// Only the columns a change touched are written: concurrent changes to other columns (counts,
// archiving, triage) are not overwritten with what this transaction read earlier.
@DynamicUpdate
@Table(name = "findings")
public class Finding extends NewUntilStored {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private UUID projectId;

    @Column(nullable = false, updatable = false)
    private String fingerprint;

    @Column(name = "rule_id", nullable = false)
    private String ruleId;

    @Column(nullable = false)
    private String title;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OwaspCategory category;

    private Integer cwe;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Severity severity;

    @Column(name = "severity_rank", nullable = false)
    private short severityRank;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Confidence confidence;

    @Column(nullable = false)
    private String method;

    @Column(nullable = false)
    private String path;

    private String parameter;

    private String remediation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private FindingStatus status;

    @Column(name = "triage_reason")
    private String triageReason;

    @Column(name = "triage_expires_at")
    private Instant triageExpiresAt;

    @Column(name = "triaged_by")
    private String triagedBy;

    @Column(name = "triaged_at")
    private Instant triagedAt;

    /** Whether its acceptance was granted while a scan had it closed as fixed (not after a person reopened it). */
    @Column(name = "accepted_while_fixed", nullable = false)
    private boolean acceptedWhileFixed;

    @Column(name = "first_seen_scan_id", nullable = false, updatable = false)
    private UUID firstSeenScanId;

    @Column(name = "last_seen_scan_id", nullable = false)
    private UUID lastSeenScanId;

    @Column(name = "first_seen_at", nullable = false, updatable = false)
    private Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    private Instant lastSeenAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "last_change", nullable = false)
    private FindingChange lastChange = FindingChange.NEW;

    protected Finding() {}

    Finding(UUID projectId, String fingerprint, UUID scanId, Instant now) {
        super(true);
        this.id = UUID.randomUUID();
        this.projectId = projectId;
        this.fingerprint = fingerprint;
        this.status = FindingStatus.OPEN;
        this.firstSeenScanId = scanId;
        this.firstSeenAt = now;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public UUID getProjectId() {
        return projectId;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public String getRuleId() {
        return ruleId;
    }

    public String getTitle() {
        return title;
    }

    public OwaspCategory getCategory() {
        return category;
    }

    public Integer getCwe() {
        return cwe;
    }

    public Severity getSeverity() {
        return severity;
    }

    public Confidence getConfidence() {
        return confidence;
    }

    public String getMethod() {
        return method;
    }

    public String getPath() {
        return path;
    }

    public String getParameter() {
        return parameter;
    }

    public String getRemediation() {
        return remediation;
    }

    public FindingStatus getStatus() {
        return status;
    }

    public String getTriageReason() {
        return triageReason;
    }

    /** When an accepted risk lapses; a scan that sees the finding after that reopens it. */
    public Instant getTriageExpiresAt() {
        return triageExpiresAt;
    }

    public String getTriagedBy() {
        return triagedBy;
    }

    public Instant getTriagedAt() {
        return triagedAt;
    }

    public UUID getFirstSeenScanId() {
        return firstSeenScanId;
    }

    public UUID getLastSeenScanId() {
        return lastSeenScanId;
    }

    public Instant getFirstSeenAt() {
        return firstSeenAt;
    }

    public Instant getLastSeenAt() {
        return lastSeenAt;
    }

    /** How its last scan saw it. */
    public FindingChange getLastChange() {
        return lastChange;
    }

    /** Takes what a scan reported: details may change between scanner versions, the fingerprint does not. */
    void observe(ObservedFinding observed, UUID scanId, Instant now) {
        if (status == FindingStatus.FIXED) {
            // Back after a fix: even from the scan that saw it last, which another scan closed since.
            lastChange = FindingChange.REGRESSED;
        } else if (scanId.equals(firstSeenScanId)) {
            lastChange = FindingChange.NEW;
        } else if (!scanId.equals(lastSeenScanId)) {
            // The same scan reporting it again (a redelivered event) changes nothing here.
            lastChange = FindingChange.RECURRING;
        }
        this.ruleId = observed.ruleId();
        this.title = observed.title();
        this.category = observed.category();
        this.cwe = observed.cwe();
        this.severity = observed.severity();
        this.severityRank = (short) observed.severity().rank();
        this.confidence = observed.confidence();
        this.method = observed.method().toUpperCase();
        this.path = observed.path();
        this.parameter = observed.parameter();
        this.remediation = observed.remediation();
        this.lastSeenScanId = scanId;
        this.lastSeenAt = now;
        if (status == FindingStatus.FIXED || acceptanceLapsedBy(now)) {
            // Back after a fix (a regression), or its acceptance ran out.
            reopen();
        }
    }

    void triage(FindingStatus status, String reason, Instant expiresAt, String by, Instant now) {
        if (status != FindingStatus.ACCEPTED_RISK) {
            this.acceptedWhileFixed = false;
        } else if (this.status != FindingStatus.ACCEPTED_RISK) {
            // A renewed acceptance keeps what the first one was granted over.
            this.acceptedWhileFixed = this.status == FindingStatus.FIXED;
        }
        this.status = status;
        this.triageReason = reason;
        this.triageExpiresAt = expiresAt;
        this.triagedBy = by;
        this.triagedAt = now;
    }

    /** Whether it is an accepted risk whose acceptance has run out at {@code now}. */
    boolean acceptanceLapsedBy(Instant now) {
        return status == FindingStatus.ACCEPTED_RISK && triageExpiresAt != null && !now.isBefore(triageExpiresAt);
    }

    /**
     * Its acceptance ran out: open again, as if a scan had seen it after the expiry; or fixed
     * again, if it was accepted while a scan had it closed and none has seen it since (a person's
     * judgement running out does not undo a scan's, nor a person's reopening of it).
     */
    void lapse() {
        boolean closedByAScan = acceptedWhileFixed && lastChange == FindingChange.FIXED;
        reopen();
        if (closedByAScan) {
            this.status = FindingStatus.FIXED;
        }
    }

    /** OPEN again without anyone's judgement: the one it had (an acceptance, say) no longer holds. */
    private void reopen() {
        this.status = FindingStatus.OPEN;
        this.triageReason = null;
        this.triageExpiresAt = null;
        this.triagedBy = null;
        this.triagedAt = null;
        this.acceptedWhileFixed = false;
    }
}
