package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NDJSON protocol the scan-runner reads: stable field names, a version, and a lossless round trip. */
class ScanEventCodecTest {

    private final ScanEventCodec codec = new ScanEventCodec();
    private final Instant time = Instant.parse("2026-01-02T03:04:05Z");

    private Finding finding() {
        return new Finding(
                "injection.sql-error",
                "SQL injection (error-based)",
                OwaspCategory.API8,
                89,
                Severity.HIGH,
                Confidence.CONFIRMED,
                "GET",
                "/products",
                "query:category",
                new Evidence(List.of(new Evidence.Exchange("GET /products?category=x'", "HTTP 500", 12)), "why"),
                "use prepared statements",
                FindingFingerprint.of("injection.sql-error", "GET", "/products", "query:category"));
    }

    @Test
    void writesOneVersionedLinePerEvent() {
        String line = codec.toLine(new ScanEvent.FindingReported("scan-1", 3, time, finding()));

        assertThat(line)
                .startsWith(
                        "{\"v\":1,\"type\":\"finding\",\"scanId\":\"scan-1\",\"seq\":3,\"time\":\"2026-01-02T03:04:05Z\"");
        assertThat(line).doesNotContain("\n");
        assertThat(line)
                .contains(
                        "\"ruleId\":\"injection.sql-error\"",
                        "\"severity\":\"HIGH\"",
                        "\"category\":\"API8\"",
                        "\"fingerprint\":\"");
    }

    @Test
    void readsBackEveryEventType() {
        List<ScanEvent> events = List.of(
                new ScanEvent.ScanStarted("s", 0, time, "http://127.0.0.1:1", "Shop", 20, "SAFE", 1),
                new ScanEvent.Progress("s", 1, time, "checks", 10, 5, 20, 1),
                new ScanEvent.FindingReported("s", 2, time, finding()),
                new ScanEvent.ScanFinished(
                        "s", 3, time, ScanEvent.ScanOutcome.COMPLETED, "", 42, 1000, Map.of(Severity.HIGH, 1)));

        for (ScanEvent event : events) {
            assertThat(codec.parse(codec.toLine(event))).isEqualTo(event);
        }
    }

    @Test
    void ignoresUnknownFieldsButRejectsOtherVersions() {
        String line = codec.toLine(new ScanEvent.Progress("s", 1, time, "checks", 10, 5, 20, 1));

        assertThat(codec.parse(line.replace("{\"v\":1,", "{\"v\":1,\"future\":true,")))
                .isInstanceOf(ScanEvent.Progress.class);
        assertThatThrownBy(() -> codec.parse(line.replace("{\"v\":1,", "{\"v\":2,")))
                .isInstanceOf(ScanEventCodec.NotAnEvent.class);
    }

    @Test
    void tellsLinesThatAreNoEventFromEventsThatDoNotParse() {
        for (String other : List.of(
                "Exception in thread \"main\" java.lang.OutOfMemoryError",
                "",
                "[1, 2]",
                "{\"v\":1,\"type\":\"later\"}")) {
            assertThatThrownBy(() -> codec.parse(other)).as(other).isInstanceOf(ScanEventCodec.NotAnEvent.class);
        }
        String finding = codec.toLine(new ScanEvent.FindingReported("s", 2, time, finding()));

        for (String broken : List.of(
                finding.replace("\"severity\":\"HIGH\"", "\"severity\":\"DIRE\""),
                finding.substring(0, finding.length() / 2))) {
            assertThatThrownBy(() -> codec.parse(broken))
                    .as(broken)
                    .isInstanceOf(IllegalArgumentException.class)
                    .isNotInstanceOf(ScanEventCodec.NotAnEvent.class);
        }
    }

    @Test
    void fingerprintsAreStableAcrossRunsAndVersions() {
        FindingFingerprint fingerprint =
                FindingFingerprint.of("injection.sql-error", "get", "/products", "query:category");

        assertThat(fingerprint)
                .isEqualTo(FindingFingerprint.of("injection.sql-error", "GET", "/products", "query:category"));
        assertThat(fingerprint)
                .isNotEqualTo(FindingFingerprint.of("injection.sql-error", "GET", "/products", "query:sort"));
        // Pinned: changing how fingerprints are computed would make every finding look new to the platform.
        assertThat(fingerprint.value()).isEqualTo("ad68f9d213a7cd86bda5593376e9bc9d038b74ff426384f3a13faabba34ab1ac");
    }
}
