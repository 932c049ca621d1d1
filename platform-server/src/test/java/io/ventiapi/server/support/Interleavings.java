package io.ventiapi.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * For tests that hold one transaction open while another comes in: the second either blocks on a
 * lock the first holds (the database shows it waiting) or, if nothing locks, runs to its end.
 */
public final class Interleavings {

    private Interleavings() {}

    /** Returns once {@code task} has finished or some session of the local database waits on a lock. */
    public static void untilDoneOrWaitingOnALock(Future<?> task) {
        while (!task.isDone() && !aSessionWaitsOnALock()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Returns once {@code task} has finished or a session of this run's database waits on a lock
     * that {@code holder}'s session holds: the wait it is meant to meet, not anyone else's.
     */
    public static void untilDoneOrBlockedBy(Future<?> task, Connection holder) {
        try (var pid = holder.createStatement().executeQuery("select pg_backend_pid()")) {
            pid.next();
            var holderPid = pid.getInt(1);
            while (!task.isDone() && !blockedBy(holderPid)) {
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean blockedBy(int holderPid) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select count(*) from pg_stat_activity"
                        + " where datname = current_database() and ? = any(pg_blocking_pids(pid))")) {
            statement.setInt(1, holderPid);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    /** Waits for {@code latch}, failing the test if it is not released within 30 s. */
    public static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean aSessionWaitsOnALock() {
        try (var owner = LocalDatabase.asOwner();
                var rows = owner.createStatement()
                        // A row lock is waited for as the holder's transaction id.
                        .executeQuery("select count(*) from pg_locks"
                                + " where not granted and locktype in ('transactionid', 'advisory')")) {
            rows.next();
            return rows.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
