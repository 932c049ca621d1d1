package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void aUsernameGuessedAtTooOftenIsLockedUntilTheLockLapses() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("Alice");
        }
        assertThat(throttle.locked("alice")).isFalse();

        throttle.failed("alice");

        assertThat(throttle.locked("ALICE")).isTrue();
        assertThat(throttle.locked("bob")).isFalse();
        clock.advance(LoginThrottle.LOCK);
        assertThat(throttle.locked("alice")).isFalse();
        throttle.failed("alice");
        assertThat(throttle.locked("alice")).as("counted afresh once lapsed").isFalse();
    }

    @Test
    void aUsernameIsCountedAsTheFormReadsItAndNoOneIsCountedForANameTooLongToExist() {
        var absurd = "x".repeat(100_000);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed(i % 2 == 0 ? "dave" : " dave ");
            throttle.failed(absurd);
        }

        assertThat(throttle.locked("dave")).isTrue();
        assertThat(throttle.locked(absurd)).isFalse();
    }

    @Test
    void aNameNoMemberCouldHaveTakesNoRoomInTheThrottle() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed("ADMİN@acme.test"); // not ASCII: no username is spelled so
            throttle.failed("no");
        }

        assertThat(throttle.locked("ADMİN@acme.test")).isFalse();
        assertThat(throttle.locked("no")).isFalse();
    }

    @Test
    void aSuccessfulSignInForgetsTheFailures() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("carol");
        }
        throttle.succeeded("carol");
        throttle.failed("carol");

        assertThat(throttle.locked("carol")).isFalse();
    }

    @Test
    void checksUnderWayCountAsFailuresUntilTheyEnd() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.tryCheck("erin")).isTrue();
        }

        assertThat(throttle.tryCheck("Erin")).as("every place taken").isFalse();
        assertThat(throttle.locked("erin")).as("no failure yet").isFalse();
        throttle.checked("erin"); // the right password, say
        assertThat(throttle.tryCheck("erin")).isTrue();
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed("erin");
        }
        assertThat(throttle.locked("erin")).isTrue();
        assertThat(throttle.tryCheck("erin")).isFalse();
    }

    @Test
    void failingAsManyOtherMembersAsAreKeptDoesNotUnlockAUsername() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed("victim");
        }
        assertThat(throttle.tryCheck("checked")).isTrue();

        for (int i = 0; i <= LoginThrottle.USERNAMES_KEPT; i++) {
            throttle.failed("invited" + i);
        }

        assertThat(throttle.locked("victim")).isTrue();
        for (int i = 1; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.tryCheck("checked");
        }
        assertThat(throttle.tryCheck("checked"))
                .as("the check under way kept its place")
                .isFalse();
    }
}
