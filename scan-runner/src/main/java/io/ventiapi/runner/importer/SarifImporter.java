package io.ventiapi.runner.importer;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a SARIF 2.1.0 report of a web or API scanner (the {@code custom} scanner kind). The
 * operation comes from a result's {@code webRequest} (method and target) or, failing that, its
 * first location's URI; severity from the rule's {@code security-severity} property, else the
 * result's level; the CWE from a {@code CWE-n} tag of the rule; the rule id from the tool's name
 * and the result's rule, after {@code custom.}. Results outside the target's
 * origin, and suppressed ones, are left out.
 */
public final class SarifImporter {

    private static final JsonMapper JSON = ReportLimits.JSON;

    /**
     * Before every rule id: the tool's name is the image's to choose, and must not make its findings
     * pass for the engine's (whose rule ids, such as {@code misconfig.trace-enabled}, never start so).
     */
    static final String RULE_PREFIX = "custom.";

    private SarifImporter() {}

    /**
     * @throws IllegalArgumentException if the document is not SARIF 2.1.0
     * @throws ReportLimits.TooManyResultsException past {@link ReportLimits#MAX_RESULTS} results
     */
    public static List<Finding> findings(String report, URI target) {
        JsonNode root;
        try {
            root = JSON.readTree(report);
        } catch (StreamConstraintsException e) {
            throw new ReportLimits.TooManyResultsException();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the SARIF report is not JSON: " + e.getMessage());
        }
        if (!"2.1.0".equals(root.path("version").asString(""))) {
            throw new IllegalArgumentException(
                    "not a SARIF 2.1.0 report (version '" + root.path("version").asString("") + "')");
        }
        var imported = new ImportedFindings(target);
        var limits = ReportLimits.counter();
        for (var run : root.path("runs")) {
            var tool = run.path("tool").path("driver").path("name").asString("sarif");
            var rules = rulesById(run);
            for (var result : run.path("results")) {
                limits.count();
                if (result.path("suppressions").size() > 0) {
                    continue;
                }
                var ruleId = result.path("ruleId")
                        .asString(result.path("rule").path("id").asString("unknown"));
                var rule = rules.getOrDefault(ruleId, JSON.createObjectNode());
                var request = result.path("webRequest");
                var url = request.path("target").asString(firstLocationUri(result));
                var path = imported.pathUnderTarget(url);
                if (path.isEmpty()) {
                    continue;
                }
                var method = request.path("method").asString("GET").toUpperCase();
                var title = rule.path("shortDescription")
                        .path("text")
                        .asString(result.path("message").path("text").asString(ruleId));
                imported.add(
                        RULE_PREFIX + slug(tool) + "." + ruleId,
                        title,
                        cweOf(rule),
                        severity(rule, result),
                        Confidence.FIRM,
                        method,
                        path.get(),
                        result.path("properties").path("parameter").isMissingNode()
                                ? null
                                : result.path("properties").path("parameter").asString(),
                        method + " " + url,
                        result.path("webResponse").path("statusCode").isMissingNode()
                                ? ""
                                : "HTTP "
                                        + result.path("webResponse")
                                                .path("statusCode")
                                                .asInt(),
                        result.path("message").path("text").asString(""),
                        rule.path("help").path("text").asString(""));
            }
        }
        return imported.findings();
    }

    private static Map<String, JsonNode> rulesById(JsonNode run) {
        var rules = new HashMap<String, JsonNode>();
        for (var rule : run.path("tool").path("driver").path("rules")) {
            rules.put(rule.path("id").asString(""), rule);
        }
        return rules;
    }

    private static String firstLocationUri(JsonNode result) {
        var locations = result.path("locations");
        return locations.size() == 0
                ? ""
                : locations
                        .get(0)
                        .path("physicalLocation")
                        .path("artifactLocation")
                        .path("uri")
                        .asString("");
    }

    private static int cweOf(JsonNode rule) {
        for (var tag : rule.path("properties").path("tags")) {
            if (tag.asString("").toUpperCase().startsWith("CWE-")) {
                return ImportedFindings.cwe(tag.asString());
            }
        }
        return 0;
    }

    private static Severity severity(JsonNode rule, JsonNode result) {
        var score = rule.path("properties").path("security-severity").asString("");
        if (!score.isBlank()) {
            try {
                double value = Double.parseDouble(score);
                if (value >= 9) {
                    return Severity.CRITICAL;
                }
                if (value >= 7) {
                    return Severity.HIGH;
                }
                if (value >= 4) {
                    return Severity.MEDIUM;
                }
                return value > 0 ? Severity.LOW : Severity.INFO;
            } catch (NumberFormatException e) {
                // fall back to the level
            }
        }
        var level = result.path("level")
                .asString(rule.path("defaultConfiguration").path("level").asString("warning"));
        return switch (level) {
            case "error" -> Severity.HIGH;
            case "warning" -> Severity.MEDIUM;
            case "note" -> Severity.LOW;
            default -> Severity.INFO;
        };
    }

    private static String slug(String tool) {
        var slug = tool.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "sarif" : slug;
    }
}
