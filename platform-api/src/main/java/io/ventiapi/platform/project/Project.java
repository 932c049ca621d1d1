package io.ventiapi.platform.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.TenantId;

/** An API under test: where it is, how scans treat it by default. Its identities are {@link ProjectIdentity}. */
@Entity
// Only the columns a change touched are written: concurrent changes to other columns (counts,
// archiving, triage) are not overwritten with what this transaction read earlier.
@DynamicUpdate
@Table(name = "projects")
public class Project {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false)
    private String name;

    @Column(name = "target_url", nullable = false)
    private String targetUrl;

    @Column(nullable = false)
    private String environment;

    /** Space-separated. */
    @Column(name = "scanner_kinds", nullable = false)
    private String scannerKinds;

    @Column(name = "custom_scanner_image")
    private String customScannerImage;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_profile", nullable = false)
    private ScanProfile defaultProfile;

    @Column(name = "rate_limit", nullable = false)
    private int rateLimit;

    @Column(name = "request_budget", nullable = false)
    private int requestBudget;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "archived_at")
    private Instant archivedAt;

    protected Project() {}

    Project(Instant now) {
        this.id = UUID.randomUUID();
        this.createdAt = now;
        this.updatedAt = now;
    }

    public UUID getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getName() {
        return name;
    }

    public String getTargetUrl() {
        return targetUrl;
    }

    public String getEnvironment() {
        return environment;
    }

    public List<String> getScannerKinds() {
        return Arrays.asList(scannerKinds.split(" "));
    }

    /** The image the {@code custom} scanner runs; null when none was set. */
    public String getCustomScannerImage() {
        return customScannerImage;
    }

    public ScanProfile getDefaultProfile() {
        return defaultProfile;
    }

    /** Requests per second a scan may send. */
    public int getRateLimit() {
        return rateLimit;
    }

    /** Most requests one scan may send. */
    public int getRequestBudget() {
        return requestBudget;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getArchivedAt() {
        return archivedAt;
    }

    public boolean isArchived() {
        return archivedAt != null;
    }

    void configure(
            String name,
            String targetUrl,
            String environment,
            List<String> scannerKinds,
            String customScannerImage,
            ScanProfile defaultProfile,
            int rateLimit,
            int requestBudget,
            Instant now) {
        this.name = name;
        this.targetUrl = targetUrl;
        this.environment = environment;
        this.scannerKinds = String.join(" ", scannerKinds);
        this.customScannerImage = customScannerImage;
        this.defaultProfile = defaultProfile;
        this.rateLimit = rateLimit;
        this.requestBudget = requestBudget;
        this.updatedAt = now;
    }

    void archive(Instant now) {
        this.archivedAt = now;
        this.updatedAt = now;
    }
}
