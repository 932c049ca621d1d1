package io.ventiapi.engine.check.exposure;

import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.PlannedResponse;
import io.ventiapi.engine.spec.SchemaResolver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * API3: fields in a successful response that its documented schema does not list. Only schemas that list
 * their properties and do not allow additional ones (explicitly or by being polymorphic) are compared, so
 * free-form objects never produce findings.
 */
public final class UndocumentedFieldCheck implements Check {

    static final Rule UNDOCUMENTED = new Rule(
            "exposure.undocumented-field",
            "Response contains undocumented fields",
            OwaspCategory.API3,
            213,
            Severity.MEDIUM,
            "The response carries properties its documented schema does not declare: internal data leaks past the contract.",
            "Serialize responses from explicit models that match the documented schema, or document the fields if they are meant to be public.");

    private static final int MAX_ITEMS = 20;

    @Override
    public List<Rule> rules() {
        return List.of(UNDOCUMENTED);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (!baseline.response().isSuccess()) {
            return;
        }
        Optional<PlannedResponse> documented =
                baseline.operation().responseFor(baseline.response().status());
        Optional<JsonNode> json = baseline.response().json();
        if (documented.isEmpty() || documented.get().schema() == null || json.isEmpty()) {
            return;
        }
        SchemaResolver resolver = context.plan().schemas();
        Set<String> extra = new LinkedHashSet<>();
        Schema<?> schema = resolver.resolve(documented.get().schema());
        JsonNode body = json.get();
        if (body.isArray() && schema != null && schema.getItems() != null) {
            for (int i = 0; i < Math.min(MAX_ITEMS, body.size()); i++) {
                extra.addAll(undocumented(resolver, schema.getItems(), body.get(i)));
            }
        } else {
            extra.addAll(undocumented(resolver, schema, body));
        }
        if (!extra.isEmpty()) {
            var op = baseline.operation();
            context.report(UNDOCUMENTED.finding(
                    Confidence.FIRM,
                    op.method(),
                    op.pathTemplate(),
                    null,
                    new Evidence(
                            List.of(Redactor.excerpt(baseline.response())),
                            "Fields not in the documented schema: " + String.join(", ", extra) + ".")));
        }
    }

    /** Keys of {@code node} that a closed object schema does not declare; empty for open or unknown schemas. */
    static Set<String> undocumented(SchemaResolver resolver, Schema<?> raw, JsonNode node) {
        Schema<?> schema = resolver.resolve(raw);
        if (schema == null || !node.isObject() || isOpen(schema)) {
            return Set.of();
        }
        Set<String> declared = new LinkedHashSet<>();
        if (!collectDeclared(resolver, schema, declared, 0) || declared.isEmpty()) {
            return Set.of();
        }
        Set<String> extra = new LinkedHashSet<>();
        for (String name : node.propertyNames()) {
            if (!declared.contains(name)) {
                extra.add(name);
            }
        }
        return extra;
    }

    /** Adds declared properties through allOf; false when the shape is open (oneOf, anyOf, additionalProperties). */
    private static boolean collectDeclared(SchemaResolver resolver, Schema<?> schema, Set<String> declared, int depth) {
        if (schema == null || depth > 8 || isOpen(schema)) {
            return false;
        }
        if (schema.getProperties() != null) {
            declared.addAll(schema.getProperties().keySet());
        }
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                if (!collectDeclared(resolver, resolver.resolve(part), declared, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isOpen(Schema<?> schema) {
        Object additional = schema.getAdditionalProperties();
        boolean additionalAllowed = Boolean.TRUE.equals(additional) || additional instanceof Schema<?>;
        boolean polymorphic = (schema.getOneOf() != null && !schema.getOneOf().isEmpty())
                || (schema.getAnyOf() != null && !schema.getAnyOf().isEmpty());
        boolean patterned =
                schema.getPatternProperties() != null && !((Map<?, ?>) schema.getPatternProperties()).isEmpty();
        return additionalAllowed || polymorphic || patterned;
    }
}
