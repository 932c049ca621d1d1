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

    /** The severity it had when a person accepted it: a scan that reports it more severe reopens it. */
    @Enumerated(EnumType.STRING)
    @Column(name = "accepted_severity")
    private Severity acceptedSeverity;

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

    /** The severity it had when a person accepted it, while it is an accepted risk. */
    public Severity getAcceptedSeverity() {
        return acceptedSeverity;
    }

    /** How its last scan saw it. */
    public FindingChange getLastChange() {
        return lastChange;
    }

    /**
     * What a scan's report did to a finding beyond its details, for the audit log.
     *
     * @param regressed a scan had closed it as fixed, and this one sees it again
     * @param lapsedAcceptance when its acceptance ran out, if this report reopened it for that
     * @param outgrownAcceptance the severity it was accepted at, if this report reopened it for being
     *     more severe
     */
    record Observation(boolean regressed, Instant lapsedAcceptance, Severity outgrownAcceptance) {}

    /** Takes what a scan reported: details may change between scanner versions, the fingerprint does not. */
    Observation observe(ObservedFinding observed, UUID scanId, Instant now) {
        boolean regressed = closedByAScan();
        if (regressed) {
            // Back after a fix: even from the scan that saw it last, which another scan closed since.
            lastChange = FindingChange.REGRESSED;
        } else if (scanId.equals(firstSeenScanId)) {
            lastChange = FindingChange.NEW;
        } else if (!scanId.equals(lastSeenScanId)) {
            // The same scan reporting it again (a redelivered event) changes nothing here.
            lastChange = FindingChange.RECURRING;
        }
        var previousSeverity = this.severity;
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
        var lapsedAcceptance = acceptanceLapsedBy(now) ? triageExpiresAt : null;
        // An acceptance stored by a replica older than the column has none: the severity it had
        // until now stands in for it.
        var acceptedAt = acceptedSeverity != null ? acceptedSeverity : previousSeverity;
        var outgrownAcceptance = status == FindingStatus.ACCEPTED_RISK
                        && lapsedAcceptance == null
                        && acceptedAt != null
                        && severity.rank() > acceptedAt.rank()
                ? acceptedAt
                : null;
        if (status == FindingStatus.FIXED || lapsedAcceptance != null || outgrownAcceptance != null) {
            // Back after a fix (a regression), its acceptance ran out, or it is worse than what was
            // accepted: a risk accepted at LOW is not accepted at CRITICAL. A false positive stays one
            // at any severity: it says the finding is not real, which a severity does not change.
            reopen();
        }
        return new Observation(regressed, lapsedAcceptance, outgrownAcceptance);
    }

    /**
     * Whether a scan closed it as fixed and none has seen it since: FIXED, or accepted while FIXED
     * (the acceptance does not make its coming back any less a regression).
     */
    private boolean closedByAScan() {
        return status == FindingStatus.FIXED
                || (status == FindingStatus.ACCEPTED_RISK && acceptedWhileFixed && lastChange == FindingChange.FIXED);
    }

    void triage(FindingStatus status, String reason, Instant expiresAt, String by, Instant now) {
        if (status != FindingStatus.ACCEPTED_RISK) {
            this.acceptedWhileFixed = false;
        } else if (this.status != FindingStatus.ACCEPTED_RISK) {
            // A renewed acceptance keeps what the first one was granted over.
            this.acceptedWhileFixed = this.status == FindingStatus.FIXED;
        }
        // A renewal too is judged at the severity the person sees now.
        this.acceptedSeverity = status == FindingStatus.ACCEPTED_RISK ? severity : null;
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
        boolean closedByAScan = closedByAScan();
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
        this.acceptedSeverity = null;
    }
}
