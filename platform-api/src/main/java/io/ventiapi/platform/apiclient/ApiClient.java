package io.ventiapi.platform.apiclient;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** Credentials a tenant's tooling uses to get tokens. Only the secret's hash is stored. */
@Entity
@Table(name = "api_clients")
public class ApiClient {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "client_id", nullable = false, updatable = false)
    private String clientId;

    @Column(nullable = false)
    private String name;

    @Column(name = "secret_hash", nullable = false)
    private String secretHash;

    /** Space-separated, as in OAuth2. */
    @Column(nullable = false)
    private String scopes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiClient() {}

    ApiClient(String clientId, String name, String secretHash, Set<String> scopes, Instant now) {
        this.id = UUID.randomUUID();
        this.clientId = clientId;
        this.name = name;
        this.secretHash = secretHash;
        this.scopes = String.join(" ", scopes);
        this.createdAt = now;
    }

    public UUID getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getClientId() {
        return clientId;
    }

    public String getName() {
        return name;
    }

    public Set<String> getScopes() {
        return new LinkedHashSet<>(Arrays.asList(scopes.split(" ")));
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }
}
