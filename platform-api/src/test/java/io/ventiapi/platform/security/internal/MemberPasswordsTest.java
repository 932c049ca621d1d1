package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.Role;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

class MemberPasswordsTest {

    private final Argon2PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final String hash = argon2.encode("correct horse battery staple");
    private final MemberPrincipal alice =
            new MemberPrincipal(UUID.randomUUID(), "acme", "alice@acme.test", hash, Role.VIEWER, true);
    private final LoginThrottle throttle = new LoginThrottle(new MovableClock(Instant.parse("2026-12-07T12:00:00Z")));
    private final MemberPasswords passwords = new MemberPasswords(username -> alice, argon2, throttle);

    @Test
    void theMemberSignedInIsKeptWithoutItsPasswordOrItsHash() {
        var signedIn = passwords.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("alice@acme.test", "correct horse battery staple"));

        assertThat(signedIn.isAuthenticated()).isTrue();
        assertThat(signedIn.getPrincipal()).isInstanceOfSatisfying(MemberPrincipal.class, member -> {
            assertThat(member.memberId()).isEqualTo(alice.memberId());
            assertThat(member.tenantId()).isEqualTo("acme");
            assertThat(member.role()).isEqualTo(Role.VIEWER);
            assertThat(member.passwordHash()).isNull();
        });
    }

    @Test
    void aWrongPasswordIsRefusedAndALockedNameBeforeItsPasswordIsChecked() {
        assertThatThrownBy(() -> passwords.authenticate(
                        UsernamePasswordAuthenticationToken.unauthenticated("alice@acme.test", "guess")))
                .isInstanceOf(BadCredentialsException.class);

        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed("alice@acme.test");
        }
        assertThatThrownBy(() -> passwords.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                        "alice@acme.test", "correct horse battery staple")))
                .isInstanceOf(LockedException.class);
    }
}
