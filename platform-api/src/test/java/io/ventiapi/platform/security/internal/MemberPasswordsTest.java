package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class MemberPasswordsTest {

    private static final String PASSWORD = "correct horse battery staple";

    private final Argon2PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final CountingEncoder hashing = new CountingEncoder(argon2);
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final MemberPrincipal alice = member("acme", "alice@acme.test", argon2.encode(PASSWORD), true);
    private final MemberPrincipal sam = member("paused", "sam@paused.test", argon2.encode(PASSWORD), false);
    /** Invited: her password is one-time, for a day more. */
    private final MemberPrincipal ivy = new MemberPrincipal(
            UUID.randomUUID(),
            "acme",
            "ivy@acme.test",
            argon2.encode(PASSWORD),
            Role.VIEWER,
            true,
            true,
            NOW.plus(Duration.ofDays(1)),
            NOW.minus(Duration.ofDays(6)));

    private final MovableClock clock = new MovableClock(NOW);
    private final LoginThrottle throttle = new LoginThrottle(clock);
    private final MemberPasswords passwords = new MemberPasswords(this::find, hashing, throttle, clock);

    private static MemberPrincipal member(String tenant, String username, String hash, boolean tenantActive) {
        return new MemberPrincipal(
                UUID.randomUUID(), tenant, username, hash, Role.VIEWER, tenantActive, false, null, NOW);
    }

    /** As the database finds members: ignoring case. */
    private UserDetails find(String username) {
        return List.of(alice, sam, ivy).stream()
                .filter(member -> member.username().equalsIgnoreCase(username))
                .findFirst()
                .orElseThrow(() -> new UsernameNotFoundException("unknown username"));
    }

    @Test
    void theMemberSignedInIsKeptWithoutItsPasswordOrItsHash() {
        var signedIn = signIn(passwords, "alice@acme.test", PASSWORD);

        assertThat(signedIn.isAuthenticated()).isTrue();
        assertThat(signedIn.getPrincipal()).isInstanceOfSatisfying(MemberPrincipal.class, member -> {
            assertThat(member.memberId()).isEqualTo(alice.memberId());
            assertThat(member.tenantId()).isEqualTo("acme");
            assertThat(member.role()).isEqualTo(Role.VIEWER);
            assertThat(member.passwordHash()).isNull();
        });
    }

    @Test
    void aOneTimePasswordSignsNoOneInButSendsItsMemberToChooseTheirOwn() {
        assertThatThrownBy(() -> signIn(passwords, "ivy@acme.test", PASSWORD))
                .isInstanceOfSatisfying(PasswordChangeRequired.class, required -> {
                    assertThat(required.member().memberId()).isEqualTo(ivy.memberId());
                    assertThat(required.member().passwordChangedAt()).isEqualTo(ivy.passwordChangedAt());
                    assertThat(required.member().passwordHash()).isNull();
                });
        // Only to whoever knows it: a wrong password is just wrong.
        assertThatThrownBy(() -> signIn(passwords, "ivy@acme.test", "guess"))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void aOneTimePasswordPastItsExpiryOpensNothingAndSaysSoOnlyWhenRight() {
        clock.advance(Duration.ofDays(1));

        assertThatThrownBy(() -> signIn(passwords, "ivy@acme.test", PASSWORD))
                .isInstanceOf(CredentialsExpiredException.class)
                .isNotInstanceOf(PasswordChangeRequired.class)
                .hasMessageContaining("one-time password expired");
        assertThatThrownBy(() -> signIn(passwords, "ivy@acme.test", "guess"))
                .isInstanceOf(BadCredentialsException.class);
        // The right password, though expired, is no guess.
        assertThat(throttle.locked("ivy@acme.test")).isFalse();
    }

    @Test
    void wrongPasswordsHoweverTheNameIsTypedLockItEvenForTheRightPassword() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            var typed = i % 2 == 0 ? "ALICE@ACME.TEST" : "Alice@acme.test";
            assertThatThrownBy(() -> signIn(passwords, typed, "guess")).isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> signIn(passwords, "alice@acme.test", PASSWORD)).isInstanceOf(LockedException.class);
    }

    @Test
    void everyRefusalCostsOnePasswordHashWhetherTheNameIsUnknownLockedOrItsTenantSuspended() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed("alice@acme.test");
        }

        var unknown = refusal("nobody@acme.test", BadCredentialsException.class);
        var locked = refusal("alice@acme.test", LockedException.class);
        var suspended = refusal("sam@paused.test", DisabledException.class);

        assertThat(List.of(unknown, locked, suspended))
                .as("one Argon2 match per refusal")
                .allSatisfy(
                        hashes -> assertThat(hashes).singleElement().asString().startsWith("$argon2id$"));
        assertThat(locked).as("a locked name's password is not checked").doesNotContain(alice.passwordHash());
        assertThat(suspended).as("nor a suspended member's").doesNotContain(sam.passwordHash());
    }

    /** The hashes the right password was matched against while refused. */
    private List<String> refusal(String username, Class<? extends Exception> refused) {
        hashing.matched.clear();
        assertThatThrownBy(() -> signIn(passwords, username, PASSWORD)).isInstanceOf(refused);
        return List.copyOf(hashing.matched);
    }

    @Test
    void namesNoMemberHasAreNotCountedSoFailingWithManyCannotMakeTheThrottleForgetAMember() {
        var plain = member("acme", "alice@acme.test", "h:" + PASSWORD, true);
        var cheap = new MemberPasswords(
                username -> {
                    if (username.equalsIgnoreCase(plain.username())) {
                        return plain;
                    }
                    throw new UsernameNotFoundException("unknown username");
                },
                new CountingEncoder(new PlainEncoder()),
                throttle,
                clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            assertThatThrownBy(() -> signIn(cheap, "alice@acme.test", "guess"))
                    .isInstanceOf(BadCredentialsException.class);
        }
        for (int i = 0; i <= LoginThrottle.USERNAMES_KEPT; i++) {
            var junk = "junk" + i + "@nowhere.test";
            assertThatThrownBy(() -> signIn(cheap, junk, "guess")).isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> signIn(cheap, "alice@acme.test", "guess")).isInstanceOf(BadCredentialsException.class);

        assertThatThrownBy(() -> signIn(cheap, "alice@acme.test", PASSWORD)).isInstanceOf(LockedException.class);
    }

    @Test
    void guessesSentAllAtOnceGetNoMoreChecksThanGuessesSentOneAfterAnother() throws Exception {
        var plain = member("acme", "alice@acme.test", "h:" + PASSWORD, true);
        var checking = new AtomicInteger();
        var release = new CountDownLatch(1);
        var held = new MemberPasswords(
                username -> {
                    if (username.equalsIgnoreCase(plain.username())) {
                        return plain;
                    }
                    throw new UsernameNotFoundException("unknown username");
                },
                new PlainEncoder() {
                    @Override
                    public boolean matches(CharSequence rawPassword, String encodedPassword) {
                        if (encodedPassword.equals(plain.passwordHash())) {
                            checking.incrementAndGet();
                            try {
                                release.await(); // every guess in flight at once
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return super.matches(rawPassword, encodedPassword);
                    }
                },
                throttle,
                clock);
        var guesses = 3 * LoginThrottle.MAX_FAILURES;
        var locked = new AtomicInteger();
        try (var attackers = Executors.newFixedThreadPool(guesses)) {
            var sent = new ArrayList<Future<?>>();
            for (int i = 0; i < guesses; i++) {
                var guess = "guess " + i;
                sent.add(attackers.submit(() -> {
                    try {
                        signIn(held, "alice@acme.test", guess);
                    } catch (LockedException e) {
                        locked.incrementAndGet();
                    } catch (BadCredentialsException e) {
                        // checked, and wrong
                    }
                }));
            }
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (checking.get() + locked.get() < guesses && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            release.countDown();
            for (var guess : sent) {
                guess.get();
            }
        }

        assertThat(checking.get()).as("passwords checked").isEqualTo(LoginThrottle.MAX_FAILURES);
        assertThat(locked.get()).isEqualTo(guesses - LoginThrottle.MAX_FAILURES);
        assertThatThrownBy(() -> signIn(held, "alice@acme.test", PASSWORD)).isInstanceOf(LockedException.class);
    }

    private static Authentication signIn(MemberPasswords passwords, String username, String password) {
        return passwords.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
    }

    /** Records each hash a password was matched against. */
    private static final class CountingEncoder implements PasswordEncoder {
        final List<String> matched = new ArrayList<>();
        private final PasswordEncoder encoder;

        CountingEncoder(PasswordEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public String encode(CharSequence rawPassword) {
            return encoder.encode(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            matched.add(encodedPassword);
            return encoder.matches(rawPassword, encodedPassword);
        }
    }

    /** No hashing at all, for tests that sign in thousands of times. */
    private static class PlainEncoder implements PasswordEncoder {
        @Override
        public String encode(CharSequence rawPassword) {
            return "h:" + rawPassword;
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            return encode(rawPassword).equals(encodedPassword);
        }
    }
}
