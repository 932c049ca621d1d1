package io.ventiapi.platform.member;

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

/** A person who belongs to a tenant. Usernames are unique across the platform. */
@Entity
@Table(name = "members")
public class Member {

    @Id
    private UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false)
    private String username;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Whether the password is one someone else set, which its member replaces at their next sign-in. */
    @Column(name = "must_change_password", nullable = false)
    private boolean mustChangePassword;

    @Column(name = "one_time_password_expires_at")
    private Instant oneTimePasswordExpiresAt;

    /** When the password was last set: sign-ins made with an earlier one get no new code or token. */
    @Column(name = "password_changed_at", nullable = false)
    private Instant passwordChangedAt;

    protected Member() {}

    /** A member with a one-time password, valid until {@code expiresAt}. */
    Member(String username, String displayName, String passwordHash, Role role, Instant now, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.username = username;
        this.displayName = displayName;
        this.role = role;
        this.createdAt = now;
        setOneTimePassword(passwordHash, now, expiresAt);
    }

    public UUID getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getUsername() {
        return username;
    }

    public String getDisplayName() {
        return displayName;
    }

    public Role getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** Whether the password is a one-time password someone else set. */
    public boolean isMustChangePassword() {
        return mustChangePassword;
    }

    /** Until when the one-time password opens the change page; null for a password of their own. */
    public Instant getOneTimePasswordExpiresAt() {
        return oneTimePasswordExpiresAt;
    }

    public Instant getPasswordChangedAt() {
        return passwordChangedAt;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    void changeRole(Role role) {
        this.role = role;
    }

    /** A password someone else set: its member chooses their own at their next sign-in. */
    void setOneTimePassword(String hash, Instant now, Instant expiresAt) {
        this.passwordHash = hash;
        this.mustChangePassword = true;
        this.oneTimePasswordExpiresAt = expiresAt;
        this.passwordChangedAt = now;
    }

    /** A password the member chose. */
    void setOwnPassword(String hash, Instant now) {
        this.passwordHash = hash;
        this.mustChangePassword = false;
        this.oneTimePasswordExpiresAt = null;
        this.passwordChangedAt = now;
    }
}
