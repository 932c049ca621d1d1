package io.ventiapi.engine.report;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, Azure DevOps) import. Each finding is a result
 * located at the API description file (SARIF needs an artifact) and at the operation as a logical location;
 * the engine's fingerprint is the result's partial fingerprint so tools track it across runs.
 */
public final class SarifReport {

    /** The schema URI written in {@code $schema}. */
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private SarifReport() {}

    /**
     * @param result the scan
     * @param rules every rule the scan could report (all are listed, so tools know what was checked)
     * @param specLocation where the API description came from, used as the results' artifact
     */
    public static String render(ScanResult result, List<Rule> rules, String specLocation) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "venti-scan");
        driver.put("informationUri", "https://github.com/ventiapi/scanner");
        driver.put("semanticVersion", "0.1.0");
        ArrayNode ruleArray = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (Rule rule : rules) {
            ruleIndex.put(rule.id(), ruleIndex.size());
            ObjectNode r = ruleArray.addObject();
            r.put("id", rule.id());
            r.put("name", pascalCase(rule.id()));
            r.putObject("shortDescription").put("text", rule.title());
            r.putObject("fullDescription").put("text", rule.description());
            r.putObject("help").put("text", rule.remediation());
            r.putObject("defaultConfiguration").put("level", level(rule.severity()));
            ObjectNode properties = r.putObject("properties");
            properties.put("security-severity", securitySeverity(rule.severity()));
            ArrayNode tags = properties.putArray("tags");
            tags.add("security");
            tags.add("CWE-" + rule.cweId());
            tags.add(rule.category().code());
        }
        ObjectNode artifact = run.putArray("artifacts").addObject();
        artifact.putObject("location").put("uri", artifactUri(specLocation));
        ArrayNode results = run.putArray("results");
        for (Finding finding : result.findings()) {
            ObjectNode r = results.addObject();
            r.put("ruleId", finding.ruleId());
            Integer index = ruleIndex.get(finding.ruleId());
            if (index != null) {
                r.put("ruleIndex", index);
            }
            r.put("level", level(finding.severity()));
            r.putObject("message")
                    .put(
                            "text",
                            finding.title() + ": " + finding.method() + " " + finding.pathTemplate()
                                    + (finding.parameter() == null ? "" : " (" + finding.parameter() + ")") + ". "
                                    + finding.evidence().explanation());
            ObjectNode location = r.putArray("locations").addObject();
            ObjectNode physical = location.putObject("physicalLocation");
            physical.putObject("artifactLocation")
                    .put("uri", artifactUri(specLocation))
                    .put("index", 0);
            physical.putObject("region").put("startLine", 1);
            ObjectNode logical = location.putArray("logicalLocations").addObject();
            logical.put("name", finding.method() + " " + finding.pathTemplate());
            logical.put("kind", "function");
            r.putObject("partialFingerprints")
                    .put("ventiFindingFingerprint/v1", finding.fingerprint().value());
            ObjectNode properties = r.putObject("properties");
            properties.put("severity", finding.severity().name());
            properties.put("confidence", finding.confidence().name());
            properties.put("owasp", finding.category().code());
            properties.put("cwe", finding.cwe());
            if (finding.parameter() != null) {
                properties.put("parameter", finding.parameter());
            }
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", result.outcome() != ScanEvent.ScanOutcome.FAILED);
        invocation.put("startTimeUtc", result.startedAt().toString());
        invocation.put("endTimeUtc", result.startedAt().plus(result.duration()).toString());
        if (!result.reason().isEmpty()) {
            invocation
                    .putArray("toolExecutionNotifications")
                    .addObject()
                    .putObject("message")
                    .put("text", result.reason());
        }
        return JSON.writeValueAsString(root);
    }

    public static void write(ScanResult result, List<Rule> rules, String specLocation, Path file) throws IOException {
        Files.writeString(file, render(result, rules, specLocation));
    }

    /** SARIF levels: error for high and critical, warning for medium, note below. */
    static String level(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** The 0-10 score GitHub code scanning maps to its own severities. */
    static String securitySeverity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    private static String artifactUri(String specLocation) {
        if (specLocation.startsWith("http://") || specLocation.startsWith("https://")) {
            return specLocation;
        }
        Path path = Path.of(specLocation);
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        // Relative to the working directory when possible, as code-scanning tools resolve against the checkout.
        String uri = absolute.startsWith(cwd)
                ? cwd.relativize(absolute).toString()
                : absolute.toUri().toString();
        return uri.replace('\\', '/');
    }

    private static String pascalCase(String id) {
        StringBuilder out = new StringBuilder();
        for (String part : id.split("[.\\-]")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
