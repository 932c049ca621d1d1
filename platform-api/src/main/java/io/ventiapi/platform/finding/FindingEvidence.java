package io.ventiapi.platform.finding;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * What the latest scan that saw a finding sent and received, secrets redacted. Kept apart from
 * {@link Finding}, whose lists never show it (ADR 12): read only where a query asks for it.
 */
@Entity
@Table(name = "finding_evidence")
public class FindingEvidence extends NewUntilStored {

    @Id
    @Column(name = "finding_id")
    private UUID findingId;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    private String request;

    private String response;

    protected FindingEvidence() {}

    FindingEvidence(UUID findingId) {
        super(true);
        this.findingId = findingId;
    }

    @Override
    public UUID getId() {
        return findingId;
    }

    /** The request that showed it, secrets redacted. */
    public String getRequest() {
        return request;
    }

    /** The response that showed it, secrets redacted. */
    public String getResponse() {
        return response;
    }

    void observe(String request, String response) {
        this.request = request;
        this.response = response;
    }
}
