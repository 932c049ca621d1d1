package io.ventiapi.runner.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportImportersTest {

    private static final URI TARGET = URI.create("http://127.0.0.1:8081/api/v1");

    private static String resource(String name) throws IOException {
        try (var in = ReportImportersTest.class.getResourceAsStream("/reports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aZapReportBecomesOneFindingPerAlertAndOperationWithoutGuessesOrOtherSites() throws IOException {
        var findings = ZapReportImporter.findings(resource("zap-api-scan.json"), TARGET);

        assertThat(findings)
                .extracting(Finding::ruleId, Finding::method, Finding::pathTemplate, Finding::parameter)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("zap.40018", "GET", "/products", "zap:category"),
                        org.assertj.core.groups.Tuple.tuple(
                                "zap.10021", "GET", "/users/7", "zap:x-content-type-options"),
                        org.assertj.core.groups.Tuple.tuple("zap.40024", "POST", "/users/login", "zap:email"));
        var sqli = findings.getFirst();
        assertThat(sqli.severity()).isEqualTo(Severity.HIGH);
        assertThat(sqli.confidence()).isEqualTo(Confidence.FIRM);
        assertThat(sqli.cweId()).isEqualTo(89);
        assertThat(sqli.category()).isEqualTo(OwaspCategory.API8);
        assertThat(sqli.remediation())
                .isEqualTo("Do not trust client side input. Use prepared statements & parameterized queries.");
        assertThat(sqli.evidence().exchanges().getFirst().request()).contains("category=tools%27", "attack: tools'");
        assertThat(findings.get(1).severity()).isEqualTo(Severity.LOW);
        assertThat(findings.get(2).confidence()).isEqualTo(Confidence.CONFIRMED);
    }

    /**
     * A report ZAP wrote itself (ZAP 2.9.0's report generator, from requests ZAP sent to the demo
     * target; {@code src/test/zap/record-report.sh} records it again).
     */
    @Test
    void aReportWrittenByZapItselfIsImported() throws IOException {
        var findings = ZapReportImporter.findings(
                resource("zap-2.9.0-core-report.json"), URI.create("http://127.0.0.1:43733"));

        // The other site's alert and the low-confidence actuator alert are left out.
        assertThat(findings)
                .extracting(Finding::title, Finding::severity, Finding::pathTemplate)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "Application Error Disclosure", Severity.MEDIUM, "/api/products/search"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Path Traversal", Severity.HIGH, "/api/files/../../etc/passwd"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Server Leaks Version Information via \"Server\" HTTP Response Header Field",
                                Severity.LOW,
                                "/api/products"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Server Leaks Version Information via \"Server\" HTTP Response Header Field",
                                Severity.LOW,
                                "/api/v2/catalog"),
                        org.assertj.core.groups.Tuple.tuple(
                                "X-Content-Type-Options Header Missing", Severity.LOW, "/api/products"));
        // ZAP gives alerts raised through its API plugin id -1: each still gets its own rule and fingerprint.
        assertThat(findings).extracting(Finding::fingerprint).doesNotHaveDuplicates();
        assertThat(findings)
                .filteredOn(f -> f.title().equals("Path Traversal"))
                .singleElement()
                .satisfies(traversal -> {
                    assertThat(traversal.ruleId()).isEqualTo("zap.alert.path-traversal");
                    assertThat(traversal.cweId()).isEqualTo(22);
                    assertThat(traversal.parameter()).isEqualTo("zap:fileName");
                    assertThat(traversal.confidence()).isEqualTo(Confidence.FIRM);
                    assertThat(traversal.remediation())
                            .isEqualTo("Validate all input; use an allow list of acceptable inputs.");
                    assertThat(traversal.evidence().exchanges().getFirst().request())
                            .contains("attack: ../../etc/passwd");
                });
    }

    @Test
    void aSarifReportIsImportedWithSeverityCweAndScope() throws IOException {
        var findings = SarifImporter.findings(resource("custom-scanner.sarif"), TARGET);

        assertThat(findings).hasSize(2);
        var bola = findings.getFirst();
        assertThat(bola.ruleId()).isEqualTo("custom.acme-api-fuzzer.AAF-017");
        assertThat(bola.title()).isEqualTo("Object accessible by another user");
        assertThat(bola.severity()).isEqualTo(Severity.HIGH);
        assertThat(bola.cweId()).isEqualTo(639);
        assertThat(bola.category()).isEqualTo(OwaspCategory.API1);
        assertThat(bola.method()).isEqualTo("GET");
        assertThat(bola.pathTemplate()).isEqualTo("/orders/42");
        assertThat(bola.parameter()).isEqualTo("path:orderId");
        assertThat(bola.remediation()).startsWith("Check the caller owns");
        var banner = findings.get(1);
        assertThat(banner.severity()).isEqualTo(Severity.LOW);
        assertThat(banner.pathTemplate()).isEqualTo("/health");
    }

    @Test
    void documentsOfTheWrongKindAreRefusedClearly() {
        assertThatThrownBy(() -> ZapReportImporter.findings("{\"runs\":[]}", TARGET))
                .hasMessageContaining("not a ZAP JSON report");
        assertThatThrownBy(() -> SarifImporter.findings("{\"version\":\"2.0.0\"}", TARGET))
                .hasMessageContaining("not a SARIF 2.1.0 report");
        assertThatThrownBy(() -> ZapReportImporter.findings("<html>", TARGET)).hasMessageContaining("not JSON");
    }

    @Test
    void importedFindingsTravelAsTheEnginesOwnEventLines() throws IOException {
        var findings = ZapReportImporter.findings(resource("zap-api-scan.json"), TARGET);
        var start = Instant.parse("2026-11-25T14:00:00Z");

        var lines =
                ImportedScanEvents.lines("scan-9", TARGET.toString(), "ZAP", findings, start, start.plusSeconds(131));

        var codec = new ScanEventCodec();
        List<ScanEvent> events = lines.stream().map(codec::parse).toList();
        assertThat(events.getFirst()).isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(events.stream().filter(ScanEvent.FindingReported.class::isInstance))
                .hasSize(3);
        assertThat(events.getLast()).isInstanceOfSatisfying(ScanEvent.ScanFinished.class, finished -> {
            assertThat(finished.findingsBySeverity())
                    .containsEntry(Severity.HIGH, 2)
                    .containsEntry(Severity.LOW, 1);
            assertThat(finished.durationMillis()).isEqualTo(131_000);
        });
        assertThat(events).extracting(ScanEvent::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
}
