package io.ventiapi.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for what background work (runners, persisters, relays) makes true in its own time. */
public final class Eventually {

    private Eventually() {}

    /** Waits until {@code condition} holds; fails with {@code state} once {@code timeout} has passed. */
    public static void waitFor(Duration timeout, BooleanSupplier condition, Supplier<Object> state) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting; last state: " + state.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
