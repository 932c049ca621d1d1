package io.ventiapi.platform.project;

import io.ventiapi.platform.project.internal.IdentityVault;
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
 * A named test identity of a project. Its settings are plain; its secret material is sealed with
 * the master key and only a masked hint of it is ever shown.
 */
@Entity
@Table(name = "project_identities")
public class ProjectIdentity {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private UUID projectId;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private IdentityKind kind;

    /** {@link IdentitySettings} as JSON. */
    @Column(nullable = false)
    private String settings;

    @Column(name = "secret_sealed", nullable = false)
    private byte[] secretSealed;

    @Column(name = "encryption_key_id", nullable = false)
    private String encryptionKeyId;

    /** Which {@link io.ventiapi.platform.project.internal.IdentityVault.Binding#VERSION} sealed it. */
    @Column(name = "sealed_binding", nullable = false)
    private int sealedBinding;

    @Column(name = "secret_hint", nullable = false)
    private String secretHint;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ProjectIdentity() {}

    ProjectIdentity(UUID projectId, String name, IdentityKind kind) {
        this.id = UUID.randomUUID();
        this.projectId = projectId;
        this.name = name;
        this.kind = kind;
    }

    public UUID getId() {
        return id;
    }

    public UUID getProjectId() {
        return projectId;
    }

    public int getPosition() {
        return position;
    }

    public String getName() {
        return name;
    }

    public IdentityKind getKind() {
        return kind;
    }

    /** The settings as stored (JSON); read them through the project service. */
    String getSettingsJson() {
        return settings;
    }

    /** The sealed secret material; only the master key opens it. */
    byte[] getSecretSealed() {
        return secretSealed.clone();
    }

    /** Which master key sealed the secret. */
    String getEncryptionKeyId() {
        return encryptionKeyId;
    }

    /** Which version of the vault's binding sealed the secret. */
    int getSealedBinding() {
        return sealedBinding;
    }

    /** A masked hint of the secret, e.g. {@code ••••f00d}: enough to recognise it, not to use it. */
    public String getSecretHint() {
        return secretHint;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** The same secret, sealed again with the current master key and binding. */
    void reseal(byte[] sealed, String keyId) {
        this.secretSealed = sealed.clone();
        this.encryptionKeyId = keyId;
        this.sealedBinding = IdentityVault.Binding.VERSION;
    }

    void update(
            int position,
            IdentityKind kind,
            String settingsJson,
            byte[] sealed,
            String keyId,
            String hint,
            Instant now) {
        this.position = position;
        this.kind = kind;
        this.settings = settingsJson;
        this.secretSealed = sealed.clone();
        this.encryptionKeyId = keyId;
        this.sealedBinding = IdentityVault.Binding.VERSION;
        this.secretHint = hint;
        this.updatedAt = now;
    }
}
