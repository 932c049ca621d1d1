package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.Usernames;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Finds a member by username for the login page, across tenants (usernames are unique, ignoring
 * case). A name no member could have ({@link Usernames}) is unknown without asking the database:
 * its {@code lower()} follows the database's collation, which may take a non-ASCII look-alike
 * ({@code ADMİN}) for a member's name ({@code admin}), giving the name a spelling the sign-in
 * throttle would count apart.
 */
public class MemberLogins implements UserDetailsService {

    private final JdbcClient jdbc;

    public MemberLogins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return find(username).orElseThrow(() -> new UsernameNotFoundException("unknown username"));
    }

    /** The member of that username, as the database has them now. */
    public Optional<MemberPrincipal> find(String username) {
        if (!Usernames.valid(username)) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        select id, tenant_id, username, password_hash, role, tenant_status, must_change_password,
                               one_time_password_expires_at, password_changed_at
                        from venti_member_login(?)""")
                .param(username)
                .query((rs, n) -> new MemberPrincipal(
                        rs.getObject("id", UUID.class),
                        rs.getString("tenant_id"),
                        rs.getString("username"),
                        rs.getString("password_hash"),
                        Role.valueOf(rs.getString("role")),
                        "ACTIVE".equals(rs.getString("tenant_status")),
                        rs.getBoolean("must_change_password"),
                        instant(rs.getObject("one_time_password_expires_at", OffsetDateTime.class)),
                        instant(rs.getObject("password_changed_at", OffsetDateTime.class))))
                .optional();
    }

    /**
     * Why a sign-in made as {@code signedIn} may get no new code or token, if it may not ({@link
     * MemberPrincipal#passwordRefusal}).
     */
    public Optional<String> passwordRefusal(MemberPrincipal signedIn) {
        return signedIn.passwordRefusal(find(signedIn.username()));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
