package io.ventiapi.platform.common;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.redisson.client.RedisException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures pass by themselves, so that background work waits them out and tries again. */
public final class TransientFailures {

    private TransientFailures() {}

    /**
     * A failure that passes by itself: Redis or the database away, restarting, failing over
     * (read-only for a moment) or out of connections, or a transaction that lost a lock or a
     * serialization race.
     */
    public static boolean test(Throwable e) {
        if (e instanceof RedisException
                || e instanceof TransientDataAccessException
                || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException
                || e instanceof CannotCreateTransactionException) {
            return true;
        }
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && transientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connection exception, transaction rollback, insufficient resources, operator intervention
     * (a shutdown, not a statement cancelled for its time), read-only transaction (a failover).
     */
    private static boolean transientState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("40")
                        || state.startsWith("53")
                        || state.startsWith("57") && !state.equals("57014")
                        || state.equals("25006"));
    }
}
