package io.ventiapi.engine.check.conformance;

import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.PlannedResponse;
import io.ventiapi.engine.spec.SchemaResolver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Conformance to the API description: server errors in answer to valid requests, and successful responses that
 * break their documented schema (wrong types, missing required properties, values outside an enum). A required
 * {@code writeOnly} property is required in requests only, as OpenAPI says: a response without it is correct.
 */
public final class ConformanceCheck implements Check {

    static final Rule SERVER_ERROR = new Rule(
            "conformance.server-error",
            "Valid request causes a server error",
            OwaspCategory.API8,
            755,
            Severity.MEDIUM,
            "A request built from the API description answers 5xx: an unhandled failure that often hides a bug attackers can push further.",
            "Handle the failure: validate input and return a documented 4xx, or fix the bug behind the 5xx.");
    static final Rule RESPONSE_SCHEMA = new Rule(
            "conformance.response-schema",
            "Response breaks its documented schema",
            OwaspCategory.NONE,
            1068,
            Severity.LOW,
            "A successful response does not match the schema the API description documents for it; clients that trust the contract will misbehave.",
            "Make the implementation and the description agree: fix the serialization or update the schema.");

    private static final int MAX_DEPTH = 10;
    private static final int MAX_ITEMS = 50;
    private static final int MAX_VIOLATIONS = 5;

    @Override
    public List<Rule> rules() {
        return List.of(SERVER_ERROR, RESPONSE_SCHEMA);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        var op = baseline.operation();
        ProbeResponse response = baseline.response();
        if (response.status() >= 500) {
            // The baseline is valid by construction; a second 5xx rules out a transient failure.
            ProbeResponse again =
                    context.send(baseline.request(), baseline.identity().credentials());
            if (again.status() >= 500) {
                context.report(SERVER_ERROR.finding(
                        Confidence.CONFIRMED,
                        op.method(),
                        op.pathTemplate(),
                        null,
                        new Evidence(
                                List.of(Redactor.excerpt(response)),
                                "A request valid per the API description answered HTTP " + response.status()
                                        + ", and HTTP " + again.status() + " when repeated.")));
            }
            return;
        }
        if (!response.isSuccess()) {
            return;
        }
        Optional<PlannedResponse> documented = op.responseFor(response.status());
        Optional<JsonNode> json = response.json();
        if (documented.isEmpty() || documented.get().schema() == null || json.isEmpty()) {
            return;
        }
        List<String> violations = new ArrayList<>();
        validate(context.plan().schemas(), documented.get().schema(), json.get(), "$", violations, 0);
        if (!violations.isEmpty()) {
            context.report(RESPONSE_SCHEMA.finding(
                    Confidence.FIRM,
                    op.method(),
                    op.pathTemplate(),
                    null,
                    new Evidence(
                            List.of(Redactor.excerpt(response)),
                            "HTTP " + response.status() + " response violates its schema: "
                                    + String.join("; ", violations) + ".")));
        }
    }

    /** Appends violations of {@code node} against the schema, at most {@value #MAX_VIOLATIONS}. */
    static void validate(
            SchemaResolver resolver, Schema<?> raw, JsonNode node, String at, List<String> violations, int depth) {
        validate(resolver, raw, node, at, violations, depth, Set.of());
    }

    /**
     * @param writeOnly properties declared {@code writeOnly} by the schemas this one is an allOf part of: a part
     *     may require a property its sibling declares
     */
    private static void validate(
            SchemaResolver resolver,
            Schema<?> raw,
            JsonNode node,
            String at,
            List<String> violations,
            int depth,
            Set<String> writeOnly) {
        Schema<?> schema = resolver.resolve(raw);
        if (schema == null || depth > MAX_DEPTH || violations.size() >= MAX_VIOLATIONS) {
            return;
        }
        Set<String> types = SchemaResolver.types(schema);
        if (node.isNull()) {
            if (!types.isEmpty() && !types.contains("null") && !Boolean.TRUE.equals(schema.getNullable())) {
                violations.add(at + " is null but the schema does not allow null");
            }
            return;
        }
        Set<String> omitted = new HashSet<>(writeOnly);
        writeOnlyProperties(resolver, schema, omitted, 0);
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                validate(resolver, part, node, at, violations, depth + 1, omitted);
            }
        }
        List<Schema> alternatives =
                schema.getOneOf() != null && !schema.getOneOf().isEmpty() ? schema.getOneOf() : schema.getAnyOf();
        if (alternatives != null && !alternatives.isEmpty()) {
            boolean anyMatches = alternatives.stream().anyMatch(alt -> {
                List<String> trial = new ArrayList<>();
                validate(resolver, alt, node, at, trial, depth + 1, omitted);
                return trial.isEmpty();
            });
            if (!anyMatches) {
                violations.add(at + " matches none of its oneOf/anyOf alternatives");
            }
            return;
        }
        if (!types.isEmpty() && types.stream().noneMatch(type -> hasType(node, type))) {
            violations.add(at + " is " + describe(node) + " but the schema says " + String.join(" or ", types));
            return;
        }
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && node.isString()
                && schema.getEnum().stream()
                        .noneMatch(v -> v != null && v.toString().equals(node.asString()))) {
            violations.add(at + " is \"" + node.asString() + "\", not one of " + schema.getEnum());
        }
        if (node.isObject()) {
            if (schema.getRequired() != null) {
                for (String required : schema.getRequired()) {
                    // A writeOnly property (a password) is sent by clients and never answered: required in
                    // requests only.
                    if (!node.has(required) && !omitted.contains(required)) {
                        violations.add(at + "." + required + " is required but missing");
                    }
                }
            }
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, property) -> {
                    if (node.has(name)) {
                        validate(resolver, property, node.get(name), at + "." + name, violations, depth + 1);
                    }
                });
            }
        } else if (node.isArray() && schema.getItems() != null) {
            for (int i = 0; i < Math.min(MAX_ITEMS, node.size()); i++) {
                validate(resolver, schema.getItems(), node.get(i), at + "[" + i + "]", violations, depth + 1);
            }
        }
    }

    /** Adds the properties the schema and its allOf parts declare {@code writeOnly}. */
    private static void writeOnlyProperties(SchemaResolver resolver, Schema<?> schema, Set<String> names, int depth) {
        if (schema == null || depth > MAX_DEPTH) {
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                Schema<?> resolved = resolver.resolve(property);
                if (resolved != null && Boolean.TRUE.equals(resolved.getWriteOnly())) {
                    names.add(name);
                }
            });
        }
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                writeOnlyProperties(resolver, resolver.resolve(part), names, depth + 1);
            }
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "string" -> node.isString();
            case "integer" ->
                node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "null" -> node.isNull();
            default -> true;
        };
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            String text = node.asString();
            return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " (" + node + ")";
    }
}
