package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.common.UserErrorException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Documents checked (or fetched) at once. A large one keeps a core busy for seconds
 * (swagger-parser's Swagger 2.0 conversion most of all), and a fetch holds up to the size limit in
 * memory for up to its timeout: work beyond these waits its turn, in order, so the platform's
 * other requests keep the rest of the machine; work whose turn does not come within the wait is
 * refused as {@code BUSY} rather than held without end behind another tenant's uploads.
 */
public final class ParseTurns {

    private final Semaphore turns;
    private final Duration wait;
    private final String busy;

    /** @param busy what a caller refused as {@code BUSY} is told */
    public ParseTurns(int atOnce, Duration wait, String busy) {
        this.turns = new Semaphore(atOnce, true);
        this.wait = wait;
        this.busy = busy;
    }

    /** Runs {@code check} in its turn. */
    public <T> T run(Supplier<T> check) {
        try {
            if (!turns.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw UserErrorException.busy(busy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserErrorException.busy("the server is stopping: send it again shortly");
        }
        try {
            return check.get();
        } finally {
            turns.release();
        }
    }
}
