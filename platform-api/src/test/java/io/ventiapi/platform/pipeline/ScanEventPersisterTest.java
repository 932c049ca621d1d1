package io.ventiapi.platform.pipeline;

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

/** Which failures the scan event persister waits out, and what it says about them. */
class ScanEventPersisterTest {

    @Test
    void aDatabaseAwayRestartingFailingOverOrRacingIsWaitedOut() {
        assertThat(ScanEventPersister.transientFailure(new CannotCreateTransactionException(
                        "no connection", new SQLTransientConnectionException("pool timed out"))))
                .isTrue();
        assertThat(ScanEventPersister.transientFailure(
                        new TransactionSystemException("commit failed", new SQLException("closed", "08003"))))
                .isTrue();
        assertThat(ScanEventPersister.transientFailure(
                        new JpaSystemException(new PersistenceException(new SQLException("deadlock", "40P01")))))
                .isTrue();
        assertThat(ScanEventPersister.transientFailure(
                        new JpaSystemException(new PersistenceException(new SQLException("terminated", "57P01")))))
                .isTrue();
        assertThat(ScanEventPersister.transientFailure(
                        new JpaSystemException(new PersistenceException(new SQLException("read-only", "25006")))))
                .isTrue();
        assertThat(ScanEventPersister.transientFailure(new RedisTimeoutException("no answer")))
                .isTrue();
    }

    @Test
    void aChangeTheDatabaseRefusesIsNotWaitedOut() {
        assertThat(ScanEventPersister.transientFailure(
                        new DataIntegrityViolationException("check", new SQLException("violates", "23514"))))
                .isFalse();
        assertThat(ScanEventPersister.transientFailure(new IllegalStateException("no master key")))
                .isFalse();
    }

    @Test
    void whatIsLoggedNamesTheKindOfFailureNotTheDataItQuotes() {
        var refused = new DataIntegrityViolationException(
                "could not execute statement", new SQLException("Failing row contains (Bearer s3cret)", "23514"));

        assertThat(ScanEventPersister.describe(refused)).isEqualTo("DataIntegrityViolationException (SQL state 23514)");
        assertThat(ScanEventPersister.describe(new IllegalStateException("token s3cret")))
                .isEqualTo("java.lang.IllegalStateException");
    }
}
