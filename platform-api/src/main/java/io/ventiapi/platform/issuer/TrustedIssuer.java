package io.ventiapi.platform.issuer;

import io.ventiapi.platform.common.Role;
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
 * An OIDC issuer whose tokens the tenant accepts. A token from it is accepted for this tenant
 * only; its {@code roles} claim may name tenant roles, otherwise it gets {@link #getDefaultRole()}.
 */
@Entity
@Table(name = "trusted_issuers")
public class TrustedIssuer {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "issuer_uri", nullable = false)
    private String issuerUri;

    @Column(name = "jwk_set_uri")
    private String jwkSetUri;

    private String audience;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_role", nullable = false)
    private Role defaultRole;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TrustedIssuer() {}

    TrustedIssuer(String issuerUri, String jwkSetUri, String audience, Role defaultRole, Instant now) {
        this.id = UUID.randomUUID();
        this.issuerUri = issuerUri;
        this.jwkSetUri = jwkSetUri;
        this.audience = audience;
        this.defaultRole = defaultRole;
        this.createdAt = now;
    }

    public UUID getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getIssuerUri() {
        return issuerUri;
    }

    /** Where the issuer's keys are; when absent they are found through OIDC discovery. */
    public String getJwkSetUri() {
        return jwkSetUri;
    }

    /** The audience tokens must carry, if any. */
    public String getAudience() {
        return audience;
    }

    public Role getDefaultRole() {
        return defaultRole;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
