package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** What the scan event persister says about the failures it meets. */
class ScanEventPersisterTest {

    @Test
    void whatIsLoggedNamesTheKindOfFailureNotTheDataItQuotes() {
        var refused = new DataIntegrityViolationException(
                "could not execute statement", new SQLException("Failing row contains (Bearer s3cret)", "23514"));

        assertThat(ScanEventPersister.describe(refused)).isEqualTo("DataIntegrityViolationException (SQL state 23514)");
        assertThat(ScanEventPersister.describe(new IllegalStateException("token s3cret")))
                .isEqualTo("java.lang.IllegalStateException");
    }
}
