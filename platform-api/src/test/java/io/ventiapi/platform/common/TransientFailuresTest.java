package io.ventiapi.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisTimeoutException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures background work waits out. */
class TransientFailuresTest {

    @Test
    void aDatabaseAwayRestartingFailingOverOrRacingIsWaitedOut() {
        assertThat(TransientFailures.test(new CannotCreateTransactionException(
                        "no connection", new SQLTransientConnectionException("pool timed out"))))
                .isTrue();
        assertThat(TransientFailures.test(
                        new TransactionSystemException("commit failed", new SQLException("closed", "08003"))))
                .isTrue();
        assertThat(TransientFailures.test(
                        new JpaSystemException(new PersistenceException(new SQLException("deadlock", "40P01")))))
                .isTrue();
        assertThat(TransientFailures.test(
                        new JpaSystemException(new PersistenceException(new SQLException("terminated", "57P01")))))
                .isTrue();
        assertThat(TransientFailures.test(
                        new JpaSystemException(new PersistenceException(new SQLException("read-only", "25006")))))
                .isTrue();
        assertThat(TransientFailures.test(new RedisTimeoutException("no answer")))
                .isTrue();
    }

    @Test
    void aChangeTheDatabaseRefusesIsNotWaitedOut() {
        assertThat(TransientFailures.test(
                        new DataIntegrityViolationException("check", new SQLException("violates", "23514"))))
                .isFalse();
        assertThat(TransientFailures.test(new IllegalStateException("no master key")))
                .isFalse();
    }
}
