package io.ventiapi.runner.importer;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads OWASP ZAP's JSON report ({@code zap-api-scan.py -J report.json}, the "traditional-json"
 * template): one finding per alert and operation, ZAP's risk as severity. Alerts ZAP itself rates
 * as false positive or low confidence are left out: the platform reports what it can stand by.
 */
public final class ZapReportImporter {

    private static final JsonMapper JSON = ReportLimits.JSON;
    private static final Pattern RULE_ID = Pattern.compile("\\d+(-\\d+)?");

    private ZapReportImporter() {}

    /**
     * @param report the report document
     * @param target the scan's target: instances on other origins are left out
     * @throws IllegalArgumentException if the document is not a ZAP JSON report
     * @throws ReportLimits.TooManyResultsException past {@link ReportLimits#MAX_RESULTS} instances
     */
    public static List<Finding> findings(String report, URI target) {
        JsonNode root;
        try {
            root = JSON.readTree(report);
        } catch (StreamConstraintsException e) {
            throw new ReportLimits.TooManyResultsException();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the ZAP report is not JSON: " + e.getMessage());
        }
        if (!root.path("site").isArray()) {
            throw new IllegalArgumentException("not a ZAP JSON report: it has no 'site' list");
        }
        var imported = new ImportedFindings(target);
        var limits = ReportLimits.counter();
        for (var site : root.path("site")) {
            for (var alert : site.path("alerts")) {
                var confidence = confidence(alert.path("confidence").asString(""));
                if (confidence == null) {
                    continue;
                }
                var title = alert.path("name").asString(alert.path("alert").asString("ZAP alert"));
                var ruleId = "zap." + ruleKey(alert, title);
                var severity = severity(alert.path("riskcode").asString("0"));
                int cwe = ImportedFindings.cwe(alert.path("cweid").asString("0"));
                var description = ImportedFindings.plain(alert.path("desc").asString(""));
                var solution = ImportedFindings.plain(alert.path("solution").asString(""));
                for (var instance : alert.path("instances")) {
                    limits.count();
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
                            ruleId,
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

    /**
     * What tells one ZAP rule from another: the alert reference (a rule with several alerts has
     * {@code 10038-1}, {@code 10038-2}…), else the plugin id. Alerts raised through ZAP's API or by
     * a script carry plugin id -1 whatever they are, so those are told apart by their name.
     */
    private static String ruleKey(JsonNode alert, String title) {
        var reference = alert.path("alertRef").asString("");
        if (RULE_ID.matcher(reference).matches()) {
            return reference;
        }
        var pluginId = alert.path("pluginid").asString("");
        if (RULE_ID.matcher(pluginId).matches()) {
            return pluginId;
        }
        return "alert."
                + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
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
