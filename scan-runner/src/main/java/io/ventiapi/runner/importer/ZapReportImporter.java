package io.ventiapi.runner.importer;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import java.net.URI;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads OWASP ZAP's JSON report ({@code zap-api-scan.py -J report.json}, the "traditional-json"
 * template): one finding per alert and operation, ZAP's risk as severity. Alerts ZAP itself rates
 * as false positive or low confidence are left out: the platform reports what it can stand by.
 */
public final class ZapReportImporter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ZapReportImporter() {}

    /**
     * @param report the report document
     * @param target the scan's target: instances on other origins are left out
     * @throws IllegalArgumentException if the document is not a ZAP JSON report
     */
    public static List<Finding> findings(String report, URI target) {
        JsonNode root;
        try {
            root = JSON.readTree(report);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the ZAP report is not JSON: " + e.getMessage());
        }
        if (!root.path("site").isArray()) {
            throw new IllegalArgumentException("not a ZAP JSON report: it has no 'site' list");
        }
        var imported = new ImportedFindings(target);
        for (var site : root.path("site")) {
            for (var alert : site.path("alerts")) {
                var confidence = confidence(alert.path("confidence").asString(""));
                if (confidence == null) {
                    continue;
                }
                var pluginId = alert.path("pluginid").asString("unknown");
                var title = alert.path("name").asString(alert.path("alert").asString(pluginId));
                var severity = severity(alert.path("riskcode").asString("0"));
                int cwe = ImportedFindings.cwe(alert.path("cweid").asString("0"));
                var description = ImportedFindings.plain(alert.path("desc").asString(""));
                var solution = ImportedFindings.plain(alert.path("solution").asString(""));
                for (var instance : alert.path("instances")) {
                    var uri = instance.path("uri").asString("");
                    var path = imported.pathUnderTarget(uri);
                    if (path.isEmpty()) {
                        continue;
                    }
                    var method = instance.path("method").asString("GET").toUpperCase();
                    var param = instance.path("param").asString("");
                    var attack = instance.path("attack").asString("");
                    var evidence = instance.path("evidence").asString("");
                    var other =
                            ImportedFindings.plain(instance.path("otherinfo").asString(""));
                    imported.add(
                            "zap." + pluginId,
                            title,
                            cwe,
                            severity,
                            confidence,
                            method,
                            path.get(),
                            param.isBlank() ? null : "zap:" + param,
                            method + " " + uri + (attack.isBlank() ? "" : "\n(attack: " + attack + ")"),
                            evidence.isBlank() ? "" : "…" + evidence + "…",
                            (description + (other.isBlank() ? "" : " " + other)).strip(),
                            solution);
                }
            }
        }
        return imported.findings();
    }

    /** ZAP's risk code: 0 informational, 1 low, 2 medium, 3 high. */
    private static Severity severity(String riskCode) {
        return switch (riskCode.strip()) {
            case "3" -> Severity.HIGH;
            case "2" -> Severity.MEDIUM;
            case "1" -> Severity.LOW;
            default -> Severity.INFO;
        };
    }

    /** ZAP's confidence: 0 false positive, 1 low (both left out), 2 medium, 3 high, 4 user-confirmed. */
    private static Confidence confidence(String code) {
        return switch (code.strip()) {
            case "2" -> Confidence.FIRM;
            case "3", "4" -> Confidence.CONFIRMED;
            default -> null;
        };
    }
}
