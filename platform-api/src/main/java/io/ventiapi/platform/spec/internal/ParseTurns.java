package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.common.UserErrorException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Documents checked (or fetched) at once. A large one keeps a core busy for seconds
 * (swagger-parser's Swagger 2.0 conversion most of all), and a fetch holds up to the size limit in
 * memory for up to its timeout: work beyond these waits its turn, in order, so the platform's
 * other requests keep the rest of the machine; work whose turn does not come within the wait is
 * refused as {@code BUSY} rather than held without end behind another tenant's uploads.
 *
 * <p>Each party (a tenant) holds at most {@code perParty} of the turns, and its further work waits
 * behind its own, not in the common line: a tenant sending many documents at once cannot take
 * every turn, and other tenants' work still comes up in the order it came.
 */
public final class ParseTurns {

    private final Semaphore turns;
    private final int perParty;
    private final ConcurrentHashMap<String, Share> shares = new ConcurrentHashMap<>();
    private final Duration wait;
    private final String busy;

    /** A party's turns, and how many of its calls are inside; it is dropped when none is. */
    private static final class Share {
        final Semaphore turns;
        int inside;

        Share(int turns) {
            this.turns = new Semaphore(turns, true);
        }
    }

    /** @param busy what a caller refused as {@code BUSY} is told */
    public ParseTurns(int atOnce, int perParty, Duration wait, String busy) {
        this.turns = new Semaphore(atOnce, true);
        this.perParty = Math.min(perParty, atOnce);
        this.wait = wait;
        this.busy = busy;
    }

    /** Runs {@code check} for {@code party} in its turn. */
    public <T> T run(String party, Supplier<T> check) {
        long deadline = System.nanoTime() + wait.toNanos();
        var share = shares.compute(party, (key, known) -> {
            var entered = known == null ? new Share(perParty) : known;
            entered.inside++;
            return entered;
        });
        try {
            take(share.turns, deadline);
            try {
                take(turns, deadline);
                try {
                    return check.get();
                } finally {
                    turns.release();
                }
            } finally {
                share.turns.release();
            }
        } finally {
            shares.computeIfPresent(party, (key, known) -> --known.inside == 0 ? null : known);
        }
    }

    /** Parties with a call inside, waiting or running. */
    int partiesInside() {
        return shares.size();
    }

    private void take(Semaphore semaphore, long deadline) {
        try {
            if (!semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw UserErrorException.busy(busy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserErrorException.busy("the server is stopping: send it again shortly");
        }
    }
}
