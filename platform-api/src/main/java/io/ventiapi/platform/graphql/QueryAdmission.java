package io.ventiapi.platform.graphql;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Lets at most a fixed number of query operations execute at once, the others waiting their turn
 * in the order they came (ADR 8). A query is CPU work with a few database round trips, so running
 * more of them at once than the cores can serve only slices the cores finer and makes the waits
 * unfair; the connection pool used to be the only bound, and whoever reached a freed connection
 * first took it, however long others had waited. A query that waits longer than {@code maxWait}
 * is not run at all.
 */
final class QueryAdmission {

    private final Semaphore permits;
    private final long maxWaitNanos;

    QueryAdmission(int maxConcurrent, Duration maxWait) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("at least one query must be allowed to run");
        }
        // Fair: a freed place goes to the longest waiter; the timed tryAcquire below keeps that order.
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Runs {@code query} in its turn, or answers {@code busy} if its turn did not come within the wait allowed. */
    <T> T run(Supplier<T> query, Supplier<T> busy) {
        if (!enter()) {
            return busy.get();
        }
        try {
            return query.get();
        } finally {
            permits.release();
        }
    }

    /**
     * A place for a request whose operation is known only once it executes: it takes the place
     * then, if it turns out to be a query, and gives it back when it ends.
     */
    Ticket ticket() {
        return new Ticket();
    }

    /** One request's place, taken at most once. */
    final class Ticket {

        private final AtomicBoolean held = new AtomicBoolean();

        private Ticket() {}

        /** Waits for the place as {@link #run} does; false if its turn did not come within the wait allowed. */
        boolean enter() {
            if (held.get()) {
                return true;
            }
            if (!QueryAdmission.this.enter()) {
                return false;
            }
            held.set(true);
            return true;
        }

        /** Gives the place back, if it was taken. */
        void leave() {
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }

    private boolean enter() {
        try {
            return permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Queries waiting for their turn (for tests). */
    int waiting() {
        return permits.getQueueLength();
    }
}
