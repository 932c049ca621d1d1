package io.ventiapi.platform.finding;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.springframework.data.domain.Persistable;

/**
 * What the latest scan that saw a finding sent and received, secrets redacted. Kept apart from
 * {@link Finding}, whose lists never show it (ADR 12): read only where a query asks for it.
 */
@Entity
@Table(name = "finding_evidence")
public class FindingEvidence implements Persistable<UUID> {

    @Id
    @Column(name = "finding_id")
    private UUID findingId;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    private String request;

    private String response;

    /** As {@link Finding}'s: without it a save would select by id first. */
    @Transient
    private boolean fresh;

    protected FindingEvidence() {}

    FindingEvidence(UUID findingId) {
        this.findingId = findingId;
        this.fresh = true;
    }

    @PostPersist
    @PostLoad
    void stored() {
        this.fresh = false;
    }

    @Override
    public boolean isNew() {
        return fresh;
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
