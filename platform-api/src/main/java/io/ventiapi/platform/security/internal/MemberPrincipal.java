package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Role;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A member signing in at the login page, with the tenant the token will name. */
public record MemberPrincipal(
        UUID memberId, String tenantId, String username, String passwordHash, Role role, boolean tenantActive)
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

    /** The same member without its password's hash, for keeping once the password was checked. */
    public MemberPrincipal withoutPassword() {
        return new MemberPrincipal(memberId, tenantId, username, null, role, tenantActive);
    }

    @Override
    public String toString() {
        return "MemberPrincipal[" + username + "@" + tenantId + "]";
    }
}
