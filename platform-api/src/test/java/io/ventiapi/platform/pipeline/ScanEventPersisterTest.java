package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.protocol.ScanStreams;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** What the scan event persister says about the failures it meets, and how it reads progress. */
class ScanEventPersisterTest {

    @Test
    void whatIsLoggedNamesTheKindOfFailureNotTheDataItQuotes() {
        var refused = new DataIntegrityViolationException(
                "could not execute statement", new SQLException("Failing row contains (Bearer s3cret)", "23514"));

        assertThat(ScanEventPersister.describe(refused)).isEqualTo("DataIntegrityViolationException (SQL state 23514)");
        assertThat(ScanEventPersister.describe(new IllegalStateException("token s3cret")))
                .isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void theProgressOfAScannerOfSeveralIsItsShareOfTheWholeScan() {
        // [venti, zap]: the engine's phases fill the first half, ZAP's start is half-way.
        assertThat(overall(progress("baseline", 0, 0), entry("0", "2"))).isEqualTo(2);
        assertThat(overall(progress("cleanup", 0, 0), entry("0", "2"))).isEqualTo(45);
        assertThat(overall(progress("zap", 0, 0), entry("1", "2"))).isEqualTo(50);
        // [zap, venti, custom]: the engine in the middle third.
        assertThat(overall(progress("zap", 0, 0), entry("0", "3"))).isZero();
        assertThat(overall(progress("baseline", 10, 10), entry("1", "3"))).isEqualTo(46);
        assertThat(overall(progress("cleanup", 0, 0), entry("1", "3"))).isEqualTo(63);
        assertThat(overall(progress("custom", 0, 0), entry("2", "3"))).isEqualTo(67);
    }

    @Test
    void anEntryWithoutValidPartsIsAScanOfOnePartAndStillApplies() {
        var cleanup = progress("cleanup", 0, 0);
        assertThat(overall(cleanup, Map.of())).isEqualTo(90); // an older runner's entry
        assertThat(overall(cleanup, entry("1", null))).isEqualTo(90);
        assertThat(overall(cleanup, entry(null, "2"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("x", "2"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("1", "2.0"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("-1", "2"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("2", "2"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("0", "0"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("10", "11"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("0", "99999999999"))).isEqualTo(90);
        assertThat(overall(cleanup, entry("9", "10"))).isEqualTo(99);
    }

    private static int overall(ScanEvent.Progress progress, Map<String, String> entry) {
        return ScanEventPersister.Part.of(entry).overall(ScanEventPersister.percent(progress));
    }

    private static ScanEvent.Progress progress(String phase, int done, int total) {
        return new ScanEvent.Progress("scan", 3, Instant.now(), phase, 0, done, total, 0);
    }

    private static Map<String, String> entry(String part, String parts) {
        var entry = new HashMap<String, String>();
        if (part != null) {
            entry.put(ScanStreams.PART, part);
        }
        if (parts != null) {
            entry.put(ScanStreams.PARTS, parts);
        }
        return entry;
    }
}
