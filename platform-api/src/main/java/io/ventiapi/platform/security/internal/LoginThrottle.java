package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Usernames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing at the login page: after {@value #MAX_FAILURES} failed sign-ins of one
 * username, that username signs in no more for {@link #LOCK} after the last failure, and its
 * password is not checked ({@link MemberPasswords}). A username is counted as usernames compare:
 * trimmed, ignoring (ASCII) case; a name no member could have ({@link Usernames}) is not counted.
 * Kept per replica, for the {@value #USERNAMES_KEPT} most recently failing usernames only, so
 * whoever guesses cannot fill the memory; only members' names are counted ({@link MemberPasswords}
 * counts a wrong password once the name was found), so pushing a member's count out takes failing
 * as that many other members.
 */
public final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration LOCK = Duration.ofMinutes(15);
    static final int USERNAMES_KEPT = 10_000;

    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > USERNAMES_KEPT;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether this username may not sign in now. */
    public synchronized boolean locked(String username) {
        var recent = failures.get(key(username));
        return recent != null && recent.count() >= MAX_FAILURES && !lapsed(recent);
    }

    /** A wrong password for this username. */
    public synchronized void failed(String username) {
        var key = key(username);
        if (!Usernames.valid(key)) {
            return; // no member is named so: nothing to protect, and no memory to fill
        }
        failures.merge(
                key,
                new Failures(1, clock.instant()),
                (before, now) -> lapsed(before) ? now : new Failures(before.count() + 1, now.last()));
    }

    public synchronized void succeeded(String username) {
        failures.remove(key(username));
    }

    private boolean lapsed(Failures recent) {
        return !recent.last().plus(LOCK).isAfter(clock.instant());
    }

    /** As the login form reads it (trimmed) and as usernames compare (ignoring case; they are ASCII). */
    private static String key(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    private record Failures(int count, Instant last) {}
}
