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
 * password is not checked ({@link MemberPasswords}). A password is checked only in a place taken
 * first ({@link #tryCheck}), and checks under way count as failures until they end: guesses sent
 * all at once get no more checks than guesses sent one after another. A username is counted as
 * usernames compare: trimmed, ignoring (ASCII) case; a name no member could have ({@link
 * Usernames}) is not counted.
 *
 * <p>Kept per replica, for the {@value #USERNAMES_KEPT} most recently failing usernames, so
 * whoever guesses cannot fill the memory; only members' names are counted ({@link MemberPasswords}
 * counts a wrong password once the name was found). A locked username, or one being checked, is
 * the last to be forgotten: failing as many other members (a tenant admin can invite that many)
 * does not unlock it.
 */
public final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration LOCK = Duration.ofMinutes(15);
    static final int USERNAMES_KEPT = 10_000;

    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether this username may not sign in now: its failures reached the limit. */
    public synchronized boolean locked(String username) {
        var recent = failures.get(key(username));
        return recent != null && failing(recent) >= MAX_FAILURES;
    }

    /**
     * Takes a place for checking a password of this username, unless its failures and the checks
     * under way reach the limit: then false, and the password is not to be checked. The place is
     * given back by {@link #failed} or {@link #checked}, whichever ends the check.
     */
    public synchronized boolean tryCheck(String username) {
        var key = key(username);
        if (!Usernames.valid(key)) {
            return true; // no member is named so: nothing to protect, and no memory to fill
        }
        var recent = failures.get(key);
        if (recent == null) {
            failures.put(key, new Failures(0, clock.instant(), 1));
            forgetBeyondLimit();
            return true;
        }
        if (failing(recent) + recent.checking() >= MAX_FAILURES) {
            return false;
        }
        failures.put(key, new Failures(failing(recent), recent.last(), recent.checking() + 1));
        return true;
    }

    /** A wrong password for this username; gives back the place its check took, if it took one. */
    public synchronized void failed(String username) {
        var key = key(username);
        if (!Usernames.valid(key)) {
            return;
        }
        var recent = failures.get(key);
        failures.put(
                key,
                recent == null
                        ? new Failures(1, clock.instant(), 0)
                        : new Failures(failing(recent) + 1, clock.instant(), Math.max(0, recent.checking() - 1)));
        forgetBeyondLimit();
    }

    /** A check that ended otherwise than with a wrong password: its place back. */
    public synchronized void checked(String username) {
        var key = key(username);
        var recent = failures.get(key);
        if (recent == null) {
            return;
        }
        var after = new Failures(failing(recent), recent.last(), Math.max(0, recent.checking() - 1));
        if (after.count() == 0 && after.checking() == 0) {
            failures.remove(key);
        } else {
            failures.put(key, after);
        }
    }

    /** A sign-in: the username's failures are forgotten (not the checks still under way). */
    public synchronized void succeeded(String username) {
        var key = key(username);
        var recent = failures.remove(key);
        if (recent != null && recent.checking() > 0) {
            failures.put(key, new Failures(0, recent.last(), recent.checking()));
        }
    }

    /** The failures that still count: none once the lock lapsed after the last. */
    private int failing(Failures recent) {
        return recent.last().plus(LOCK).isAfter(clock.instant()) ? recent.count() : 0;
    }

    /**
     * Forgets the least recently failing usernames beyond {@link #USERNAMES_KEPT}, those locked or
     * being checked last.
     */
    private void forgetBeyondLimit() {
        while (failures.size() > USERNAMES_KEPT) {
            var entries = failures.values().iterator();
            var forgotten = false;
            while (entries.hasNext()) {
                var recent = entries.next();
                if (recent.checking() == 0 && failing(recent) < MAX_FAILURES) {
                    entries.remove();
                    forgotten = true;
                    break;
                }
            }
            if (!forgotten) {
                failures.remove(failures.keySet().iterator().next());
            }
        }
    }

    /** As the login form reads it (trimmed) and as usernames compare (ignoring case; they are ASCII). */
    private static String key(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    private record Failures(int count, Instant last, int checking) {}
}
