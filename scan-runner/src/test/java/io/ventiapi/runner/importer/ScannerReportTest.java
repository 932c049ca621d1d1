package io.ventiapi.runner.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.tenancy.TenantId;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScannerReportTest {

    private static final Instant START = Instant.parse("2026-11-25T14:00:00Z");
    private static final ScanEventCodec CODEC = new ScanEventCodec();

    private static ScanJob part(ScannerKind kind) {
        return part(kind, List.of());
    }

    private static ScanJob part(ScannerKind kind, List<String> identities) {
        return new ScanJob(
                "scan-1",
                TenantId.of("acme"),
                kind,
                kind == ScannerKind.CUSTOM ? "registry.example.com/scanner:1" : null,
                URI.create("http://127.0.0.1:8081/api/v1"),
                "SAFE",
                1,
                1,
                Duration.ofMinutes(5),
                "openapi: 3.0.3",
                identities,
                null);
    }

    private static List<String> zapReport() throws IOException {
        try (var in = ScannerReportTest.class.getResourceAsStream("/reports/zap-api-scan.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static long findings(List<String> lines) {
        return lines.stream()
                .map(CODEC::parse)
                .filter(ScanEvent.FindingReported.class::isInstance)
                .count();
    }

    @Test
    void aReportAmidLogLinesIsReadAndTheLogIgnored() throws Exception {
        var report = new ScannerReport(part(ScannerKind.ZAP), START);
        report.add("Total of 12 URLs");
        report.add("PASS: Vulnerable JS Library [10003]");
        report.add(ScannerReport.BEGIN);
        zapReport().forEach(report::add);
        report.add(ScannerReport.END);
        report.add("WARN-NEW: X-Content-Type-Options Header Missing [10021] x 1");

        assertThat(findings(report.findingsAndEnd(START.plusSeconds(60)))).isEqualTo(3);
    }

    @Test
    void aZapPartThatRanToItsActiveScanLimitEndsCutShortNotComplete() throws Exception {
        // A part of 5 minutes: ZAP's active scan may run 3 of them.
        assertThat(ScannerReport.zapActiveScanMinutes(Duration.ofMinutes(5))).isEqualTo(3);
        assertThat(ScannerReport.zapActiveScanMinutes(Duration.ofSeconds(150))).isEqualTo(1);

        assertThat(end(START.plusSeconds(179)).outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
        var cutShort = end(START.plusSeconds(180));
        // Findings it did not reach stay open: only a COMPLETED scan closes them as fixed.
        assertThat(cutShort.outcome()).isEqualTo(ScanEvent.ScanOutcome.TIME_BOX_EXCEEDED);
        assertThat(cutShort.reason()).isEqualTo("ZAP's active scan ran until its time limit");
    }

    private static ScanEvent.ScanFinished end(Instant finished) throws Exception {
        var report = new ScannerReport(part(ScannerKind.ZAP), START);
        report.add(ScannerReport.BEGIN);
        zapReport().forEach(report::add);
        report.add(ScannerReport.END);
        return (ScanEvent.ScanFinished)
                CODEC.parse(report.findingsAndEnd(finished).getLast());
    }

    @Test
    void aLogReadAgainFromItsStartGivesTheReportOnce() throws Exception {
        var whole = zapReport();
        var report = new ScannerReport(part(ScannerKind.ZAP), START);
        report.add("progress");
        report.add(ScannerReport.BEGIN);
        whole.subList(0, whole.size() / 2).forEach(report::add);
        // The log stream broke: it is read again from its first line.
        report.add("progress");
        report.add(ScannerReport.BEGIN);
        whole.forEach(report::add);
        report.add(ScannerReport.END);

        assertThat(findings(report.findingsAndEnd(START.plusSeconds(60)))).isEqualTo(3);
    }

    @Test
    void aReportWithoutItsMarkersIsUnreadable() throws Exception {
        var unframed = new ScannerReport(part(ScannerKind.ZAP), START);
        zapReport().forEach(unframed::add);
        assertThatThrownBy(() -> unframed.findingsAndEnd(START))
                .isInstanceOf(ScannerReport.UnreadableReportException.class)
                .hasMessage(ScannerReport.NO_REPORT);

        var cutShort = new ScannerReport(part(ScannerKind.ZAP), START);
        cutShort.add(ScannerReport.BEGIN);
        zapReport().forEach(cutShort::add);
        assertThatThrownBy(() -> cutShort.findingsAndEnd(START))
                .isInstanceOf(ScannerReport.UnreadableReportException.class)
                .hasMessage(ScannerReport.NO_REPORT);
    }

    @Test
    void theKeysTheScannerWasGivenAreKeptOutOfItsEvidence() throws Exception {
        var token = "s3cr3t-token-9f2c41";
        // The platform removes its project's passwords too, but a person may have changed them during the scan.
        var basic = java.util.Base64.getEncoder().encodeToString("u:hunter-basic".getBytes());
        var report = new ScannerReport(
                part(
                        ScannerKind.CUSTOM,
                        List.of(
                                "type=bearer,token=" + token,
                                "type=basic,username=u,password=hunter-basic",
                                "type=login,path=/login,username=alice,password=hunter-login,user-field=email,"
                                        + "password-field=pass")),
                START);
        report.add(ScannerReport.BEGIN);
        report.add("""
                {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Echo"}}, "results": [{
                  "ruleId": "E-1",
                  "message": {"text": "the server echoed Authorization: Bearer %1$s, auth %2$s, pass hunter-basic and hunter-login for alice"},
                  "webRequest": {"method": "GET", "target": "http://127.0.0.1:8081/api/v1/me?access_token=%1$s"},
                  "webResponse": {"statusCode": 200}}]}]}
                """.formatted(token, basic));
        report.add(ScannerReport.END);

        var lines = report.findingsAndEnd(START.plusSeconds(60));

        assertThat(findings(lines)).isEqualTo(1);
        assertThat(String.join("\n", lines))
                .doesNotContain(token, basic, "hunter-basic", "hunter-login")
                .as("a user name is no secret: evidence of who saw what needs it")
                .contains("/api/v1/me", "for alice");
    }

    @Test
    void aReportWithMoreResultsThanTheCapIsRefusedWhole() {
        var report = new ScannerReport(part(ScannerKind.CUSTOM), START);
        report.add(ScannerReport.BEGIN);
        report.add(sarifWithResults(ReportLimits.MAX_RESULTS + 1));
        report.add(ScannerReport.END);

        assertThatThrownBy(() -> report.findingsAndEnd(START))
                .isInstanceOf(ScannerReport.UnreadableReportException.class)
                .hasMessage(ReportLimits.TOO_MANY_RESULTS);
    }

    @Test
    void aReportOfMillionsOfEmptyValuesIsRefusedBeforeItBecomesATree() {
        var report = new ScannerReport(part(ScannerKind.CUSTOM), START);
        report.add(ScannerReport.BEGIN);
        // 8 MiB less a little of "{}," in an array nobody reads: millions of nodes if parsed whole.
        report.add("{\"version\":\"2.1.0\",\"junk\":[" + "{},".repeat(2_700_000) + "{}],\"runs\":[]}");
        report.add(ScannerReport.END);

        assertThat(report.tooLarge()).isFalse();
        assertThatThrownBy(() -> report.findingsAndEnd(START))
                .isInstanceOf(ScannerReport.UnreadableReportException.class)
                .hasMessage(ReportLimits.TOO_MANY_RESULTS);
    }

    /** A SARIF report with {@code count} distinct results on the target. */
    static String sarifWithResults(int count) {
        var results = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            results.add("{\"ruleId\":\"R1\",\"message\":{\"text\":\"m\"},\"webRequest\":{\"method\":\"GET\","
                    + "\"target\":\"http://127.0.0.1:8081/api/v1/items/" + i + "\"}}");
        }
        return "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":["
                + String.join(",", results) + "]}]}";
    }
}
