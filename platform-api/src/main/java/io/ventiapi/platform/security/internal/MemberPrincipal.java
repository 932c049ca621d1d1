package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.Role;
import io.ventiapi.tenancy.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A member signing in at the login page, with the tenant the token will name.
 *
 * @param mustChangePassword whether the password is a one-time password someone else set, which
 *     opens only the page where the member chooses their own
 * @param oneTimePasswordExpiresAt until when such a password does that; null if it never expires
 * @param passwordChangedAt when the password was set: a sign-in remembers it, and gets no new code
 *     or token once the password was set again
 */
public record MemberPrincipal(
        UUID memberId,
        String tenantId,
        String username,
        String passwordHash,
        Role role,
        boolean tenantActive,
        boolean mustChangePassword,
        Instant oneTimePasswordExpiresAt,
        Instant passwordChangedAt)
        implements UserDetails {

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isEnabled() {
        return tenantActive;
    }

    /** Whether the one-time password, if that is what the member has, expired unused. */
    public boolean oneTimePasswordExpired(Instant now) {
        return mustChangePassword && oneTimePasswordExpiresAt != null && !now.isBefore(oneTimePasswordExpiresAt);
    }

    /** The same member without its password's hash, for keeping once the password was checked. */
    public MemberPrincipal withoutPassword() {
        return new MemberPrincipal(
                memberId,
                tenantId,
                username,
                null,
                role,
                tenantActive,
                mustChangePassword,
                oneTimePasswordExpiresAt,
                passwordChangedAt);
    }

    /** The same member with a password of their own, set at {@code changedAt}. */
    public MemberPrincipal withOwnPassword(Instant changedAt) {
        return new MemberPrincipal(memberId, tenantId, username, null, role, tenantActive, false, null, changedAt);
    }

    /**
     * Why a sign-in made as this member may get no new code or token now that the member is {@code
     * now} (as the database has them), if it may not: their tenant was suspended since, or their
     * password was set again since (reset, or changed elsewhere), or is one-time. Whether they are
     * still a member is for the token's claims to say ({@link TokenClaims}).
     */
    public Optional<String> passwordRefusal(Optional<MemberPrincipal> now) {
        if (now.isEmpty() || !now.get().memberId().equals(memberId)) {
            return Optional.empty();
        }
        if (!now.get().tenantActive()) {
            return Optional.of("this member's tenant is suspended");
        }
        if (now.get().mustChangePassword()) {
            return Optional.of("this member's password is one-time: sign in and choose your own");
        }
        if (!now.get().passwordChangedAt().equals(passwordChangedAt)) {
            return Optional.of("this member's password changed since this sign-in: sign in again");
        }
        return Optional.empty();
    }

    /** The member as the actor of what they do at the login page, before any token names them. */
    public Actor actor(String issuer) {
        return new Actor(
                memberId.toString(),
                username,
                ActorType.USER,
                TenantId.of(tenantId),
                Set.of(role),
                Set.copyOf(role.scopes()),
                issuer);
    }

    @Override
    public String toString() {
        return "MemberPrincipal[" + username + "@" + tenantId + "]";
    }
}
