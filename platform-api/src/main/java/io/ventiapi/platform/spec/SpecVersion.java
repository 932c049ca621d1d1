package io.ventiapi.platform.spec;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * One version of a project's API description: numbered from 1 per project, identified by the
 * SHA-256 of its content, so the same document again is the same version.
 */
@Entity
@Table(name = "spec_versions")
public class SpecVersion {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private UUID projectId;

    @Column(nullable = false, updatable = false)
    private int version;

    @Column(name = "content_hash", nullable = false, updatable = false)
    private String contentHash;

    @Column(name = "openapi_version", nullable = false, updatable = false)
    private String openapiVersion;

    @Column(updatable = false)
    private String title;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private SpecSource source;

    @Column(name = "source_url", updatable = false)
    private String sourceUrl;

    @Column(name = "size_bytes", nullable = false, updatable = false)
    private int sizeBytes;

    @Column(name = "operation_count", nullable = false, updatable = false)
    private int operationCount;

    /** {@link SpecProblem}s that did not prevent acceptance, as JSON. */
    @Column(nullable = false, updatable = false)
    private String warnings;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected SpecVersion() {}

    SpecVersion(
            UUID projectId,
            int version,
            String contentHash,
            String openapiVersion,
            String title,
            SpecSource source,
            String sourceUrl,
            int sizeBytes,
            int operationCount,
            String warnings,
            Instant now) {
        this.id = UUID.randomUUID();
        this.projectId = projectId;
        this.version = version;
        this.contentHash = contentHash;
        this.openapiVersion = openapiVersion;
        this.title = title;
        this.source = source;
        this.sourceUrl = sourceUrl;
        this.sizeBytes = sizeBytes;
        this.operationCount = operationCount;
        this.warnings = warnings;
        this.createdAt = now;
    }

    public UUID getId() {
        return id;
    }

    public UUID getProjectId() {
        return projectId;
    }

    /** 1 for a project's first document, then 2, 3, … */
    public int getVersion() {
        return version;
    }

    /** SHA-256 of the content, hex. */
    public String getContentHash() {
        return contentHash;
    }

    /** The version the document declares: 2.0, 3.0.x or 3.1.x. */
    public String getOpenapiVersion() {
        return openapiVersion;
    }

    public String getTitle() {
        return title;
    }

    public SpecSource getSource() {
        return source;
    }

    public String getSourceUrl() {
        return sourceUrl;
    }

    public int getSizeBytes() {
        return sizeBytes;
    }

    public int getOperationCount() {
        return operationCount;
    }

    public String getWarningsJson() {
        return warnings;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
