package io.ventiapi.engine.check.exposure;

import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.PlannedResponse;
import io.ventiapi.engine.spec.SchemaResolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * API3: fields in a successful response that its documented schema does not list, as data the documentation does
 * not show is where internal data (costs, supplier references, flags) leaks to every client. OpenAPI lets an object
 * carry properties its schema does not list unless it says {@code additionalProperties: false}, so a schema that
 * does not close itself is not broken by them: those findings are LOW and say so, while a schema that closes itself
 * and is still exceeded is MEDIUM. Schemas that allow more on purpose are not compared: free-form
 * ({@code additionalProperties}, {@code patternProperties}), {@code oneOf}/{@code anyOf} without a discriminator,
 * and a discriminator whose subtype cannot be resolved (with one, the subtype's properties are the documented
 * ones). Hypermedia controls ({@code _links}, {@code _embedded}, JSON:API's {@code links}, JSON-LD's {@code @id})
 * are never reported: they describe the response, not the object.
 */
public final class UndocumentedFieldCheck implements Check {

    static final Rule UNDOCUMENTED = new Rule(
            "exposure.undocumented-field",
            "Response contains undocumented fields",
            OwaspCategory.API3,
            213,
            Severity.MEDIUM,
            "The response carries properties its documented schema does not list: data the documentation does not show, which may be internal and reaches every client.",
            "Serialize responses from explicit models that match the documented schema, or document the fields if they are meant to be public.");

    private static final int MAX_ITEMS = 20;
    private static final int MAX_DEPTH = 16;

    /** HAL, HAL-FORMS and JSON:API link envelopes, and JSON-LD keywords. */
    private static final Set<String> HYPERMEDIA =
            Set.of("_links", "_embedded", "_templates", "links", "@context", "@id", "@type");

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
        boolean closed = true;
        Schema<?> schema = resolver.resolve(documented.get().schema());
        JsonNode body = json.get();
        List<JsonNode> objects = new ArrayList<>();
        Schema<?> objectSchema = schema;
        if (body.isArray() && schema != null && schema.getItems() != null) {
            objectSchema = schema.getItems();
            for (int i = 0; i < Math.min(MAX_ITEMS, body.size()); i++) {
                objects.add(body.get(i));
            }
        } else {
            objects.add(body);
        }
        for (JsonNode object : objects) {
            Optional<Undocumented> found = undocumented(resolver, objectSchema, object);
            if (found.isPresent()) {
                extra.addAll(found.get().names());
                closed &= found.get().schemaClosed();
            }
        }
        if (extra.isEmpty()) {
            return;
        }
        var op = baseline.operation();
        Finding finding = UNDOCUMENTED.finding(
                Confidence.FIRM,
                op.method(),
                op.pathTemplate(),
                null,
                new Evidence(
                        List.of(Redactor.excerpt(baseline.response())),
                        closed
                                ? "Fields not in the documented schema, which allows no others"
                                        + " (additionalProperties: false): " + String.join(", ", extra) + "."
                                : "Fields the documented schema does not list: " + String.join(", ", extra)
                                        + ". The schema does not forbid others (OpenAPI allows them unless"
                                        + " additionalProperties is false), so the API breaks no contract; but"
                                        + " the documentation does not show them: check that they are meant to be"
                                        + " public."));
        // Merely unlisted, the fields may be harmless additions the documentation lags behind: a lead to review.
        context.report(closed ? finding : finding.withSeverity(Severity.LOW));
    }

    /** Keys a documented object schema does not declare, and whether that schema forbids others. */
    private record Undocumented(Set<String> names, boolean schemaClosed) {}

    /**
     * The keys of {@code node} its schema does not declare; empty for schemas that allow more on purpose or that
     * cannot be read in full, and for keys that are hypermedia controls.
     */
    private static Optional<Undocumented> undocumented(SchemaResolver resolver, Schema<?> raw, JsonNode node) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        Declared declared = new Declared();
        if (!declared.collect(resolver, raw, node, 0) || declared.names.isEmpty()) {
            return Optional.empty();
        }
        Set<String> extra = new LinkedHashSet<>();
        for (String name : node.propertyNames()) {
            if (!declared.names.contains(name) && !HYPERMEDIA.contains(name)) {
                extra.add(name);
            }
        }
        return extra.isEmpty() ? Optional.empty() : Optional.of(new Undocumented(extra, declared.closed));
    }

    /** The properties an object's schema declares, through allOf and its discriminator's subtype. */
    private static final class Declared {
        private final Set<String> names = new LinkedHashSet<>();
        private final Set<Schema<?>> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Discriminator properties already followed to the object's subtype. */
        private final Set<String> dispatched = new HashSet<>();

        private boolean closed;

        /** False when the schema allows more than it declares, or a part of it cannot be resolved. */
        boolean collect(SchemaResolver resolver, Schema<?> raw, JsonNode node, int depth) {
            Schema<?> schema = resolver.resolve(raw);
            if (schema == null || depth > MAX_DEPTH) {
                return false;
            }
            if (!visited.add(schema)) {
                return true; // a subtype's allOf names its base again
            }
            if (allowsMore(schema)) {
                return false;
            }
            closed |= closesItself(schema);
            if (schema.getProperties() != null) {
                names.addAll(schema.getProperties().keySet());
            }
            Discriminator discriminator = schema.getDiscriminator();
            if (discriminator != null) {
                // The object says which subtype it is: that subtype's properties are documented ones. A subtype's
                // base names the same discriminator, which the subtype, found already, answers.
                if (dispatched.add(String.valueOf(discriminator.getPropertyName()))) {
                    Schema<?> subtype = subtype(discriminator, node);
                    if (subtype == null || !collect(resolver, subtype, node, depth + 1)) {
                        return false;
                    }
                }
            } else if (nonEmpty(schema.getOneOf()) || nonEmpty(schema.getAnyOf())) {
                return false; // which alternative the object follows is anyone's guess
            }
            if (schema.getAllOf() != null) {
                for (Schema<?> part : schema.getAllOf()) {
                    if (!collect(resolver, part, node, depth + 1)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /**
     * The schema the discriminator maps the object's value to (the explicit mapping, else the schema of that name,
     * as OpenAPI says), as a reference; null when the object carries no such value.
     */
    private static Schema<?> subtype(Discriminator discriminator, JsonNode node) {
        JsonNode value = discriminator.getPropertyName() == null ? null : node.get(discriminator.getPropertyName());
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String name = value.asString();
        String target = discriminator.getMapping() == null
                ? null
                : discriminator.getMapping().get(name);
        String ref = target == null ? name : target;
        return new Schema<>().$ref(ref.contains("/") ? ref : "#/components/schemas/" + ref);
    }

    /** {@code additionalProperties} true or a schema, or {@code patternProperties}: more keys are meant. */
    private static boolean allowsMore(Schema<?> schema) {
        Object additional = schema.getAdditionalProperties();
        boolean additionalAllowed = Boolean.TRUE.equals(additional)
                || (additional instanceof Schema<?> allowed && !Boolean.FALSE.equals(allowed.getBooleanSchemaValue()));
        return additionalAllowed
                || (schema.getPatternProperties() != null && !((Map<?, ?>) schema.getPatternProperties()).isEmpty());
    }

    /** {@code additionalProperties: false} (a boolean in 3.0, a false schema in 3.1). */
    private static boolean closesItself(Schema<?> schema) {
        Object additional = schema.getAdditionalProperties();
        return Boolean.FALSE.equals(additional)
                || (additional instanceof Schema<?> closed && Boolean.FALSE.equals(closed.getBooleanSchemaValue()));
    }

    private static boolean nonEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
