package io.ventiapi.engine.check.property;

import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.JsonValues;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.spec.SchemaResolver;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * API3 mass assignment: a write (POST, PUT, PATCH with a JSON object body) carrying a property the request schema
 * does not declare (itself or through {@code allOf}, {@code oneOf}, {@code anyOf}) but responses show, named like a privilege or ownership ({@code role}, {@code isAdmin},
 * {@code owner}, {@code balance}, …) or documented {@code readOnly} (except {@code id}: APIs that let clients
 * pick ids on create are common and not a privilege problem). Confirmed when reading the resource back shows the
 * value the scan chose; when the document has no way to read it back, the write's own answer showing it (and a
 * control write's not) is reported as firm only, since many handlers echo the request they merged.
 */
public final class MassAssignmentCheck implements Check {

    static final Rule MASS_ASSIGNMENT = new Rule(
            "property.mass-assignment",
            "Mass assignment of a protected property",
            OwaspCategory.API3,
            915,
            Severity.HIGH,
            "The API binds request properties the client must not set (privileges, ownership, balances, read-only fields) onto the stored object.",
            "Bind requests to explicit input types (DTOs) that declare only the properties a client may set; reject or ignore the rest.");

    private static final Pattern PROTECTED = Pattern.compile(
            "(?i)^(is_?)?(admin|administrator|superuser|staff)$|^roles?$|^permissions?$|^scopes?$|^groups?$|^(owner|owner_?id|user_?id|account_?id|tenant_?id)$|^(balance|credits?|discount|price)$|^(is_?)?(verified|approved|active|enabled)$|^(plan|tier|level|privileges?)$");
    private static final Pattern UNIQUE_FIELD =
            Pattern.compile("(?i)^(user_?name|username|login|email|e-mail|name|slug|handle|nickname)$");

    @Override
    public List<Rule> rules() {
        return List.of(MASS_ASSIGNMENT);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        PlannedOperation op = baseline.operation();
        if (!(op.method().equals("POST")
                        || op.method().equals("PUT")
                        || op.method().equals("PATCH"))
                || OperationKinds.isLogin(op)
                || OperationKinds.isQueryLikePost(op)
                || !(baseline.request().body() instanceof Map<?, ?> body)
                || !baseline.request().mediaType().contains("json")) {
            return;
        }
        Optional<Set<String>> documented = requestProperties(context, op);
        if (documented.isEmpty()) {
            // A part of the request schema could not be read: any property may be a documented one.
            return;
        }
        ProbeResponse created = baseline.response();
        if (created.status() == 409) {
            // An earlier scan created the same user or name: create a fresh one to look at.
            created =
                    context.send(unique(baseline.request()), baseline.identity().credentials());
        }
        if (!created.isSuccess()) {
            return;
        }
        Set<String> declared = new LinkedHashSet<>();
        body.keySet().forEach(k -> declared.add(String.valueOf(k)));
        declared.addAll(documented.get());
        Optional<JsonNode> shown = JsonValues.firstObject(created);
        Set<String> readOnly = readOnlyProperties(context, op);
        boolean candidates = false;
        for (String property : shown.map(JsonNode::propertyNames).orElse(Set.of())) {
            if (declared.contains(property)
                    || !(PROTECTED.matcher(property).matches() || readOnly.contains(property))) {
                continue;
            }
            JsonNode current = shown.get().get(property);
            if (!current.isValueNode()) {
                continue;
            }
            candidates = true;
            Object chosen = chosenValue(property, current);
            if (tryProperty(context, baseline, property, chosen)) {
                return;
            }
        }
        if (!candidates) {
            throughListings(context, baseline, declared);
        }
    }

    /**
     * A write whose answer shows no protected property (a registration answering only "registered"): the
     * objects it creates may still be listed elsewhere, found by the unique values the write chose (user name,
     * e-mail). A protected property those listed objects carry is written, and the listing read again; a
     * control write without it must be listed with another value.
     */
    private static void throughListings(ScanContext context, Baseline baseline, Set<String> declared) {
        Map<?, ?> body = (Map<?, ?>) baseline.request().body();
        List<String> keys = body.entrySet().stream()
                .filter(e -> e.getValue() instanceof String
                        && UNIQUE_FIELD.matcher(String.valueOf(e.getKey())).matches())
                .map(e -> String.valueOf(e.getKey()))
                .toList();
        if (keys.isEmpty()) {
            return;
        }
        for (Baseline listing : context.baselines()) {
            if (!listing.operation().method().equals("GET")
                    || !listing.operation().pathParameters().isEmpty()
                    || !listing.response().isSuccess()) {
                continue;
            }
            Optional<JsonNode> sample = JsonValues.objects(listing.response()).stream()
                    .filter(o -> keys.stream().anyMatch(o::has))
                    .findFirst();
            if (sample.isEmpty()) {
                continue;
            }
            for (String property : sample.get().propertyNames()) {
                JsonNode current = sample.get().get(property);
                if (declared.contains(property) || !PROTECTED.matcher(property).matches() || !current.isValueNode()) {
                    continue;
                }
                // A privilege flag is tried set: the value the API would not give a new object by itself.
                Object chosen = current.isBoolean() ? Boolean.TRUE : chosenValue(property, current);
                if (tryThroughListing(context, baseline, listing, keys, property, chosen)) {
                    return;
                }
            }
        }
    }

    private static boolean tryThroughListing(
            ScanContext context,
            Baseline baseline,
            Baseline listing,
            List<String> keys,
            String property,
            Object chosen) {
        var credentials = baseline.identity().credentials();
        SynthesizedRequest probe = unique(baseline.request()).with(ParameterLocation.BODY, property, chosen);
        ProbeResponse written = context.send(probe, credentials);
        if (!written.isSuccess()) {
            return false;
        }
        ProbeResponse listed =
                context.send(listing.request(), listing.identity().credentials());
        String expected = String.valueOf(chosen);
        Optional<JsonNode> mine = listedObject(listed, probe, keys);
        if (mine.isEmpty() || !text(mine.get().get(property)).equals(expected)) {
            return false;
        }
        SynthesizedRequest control = unique(baseline.request());
        if (!context.send(control, credentials).isSuccess()) {
            return false;
        }
        ProbeResponse controlListed =
                context.send(listing.request(), listing.identity().credentials());
        Optional<JsonNode> theirs = listedObject(controlListed, control, keys);
        if (theirs.isEmpty() || text(theirs.get().get(property)).equals(expected)) {
            return false;
        }
        PlannedOperation op = baseline.operation();
        context.report(MASS_ASSIGNMENT.finding(
                Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                "body:" + property,
                new Evidence(
                        List.of(Redactor.excerpt(written), Redactor.excerpt(listed)),
                        "The request schema does not declare '" + property + "', yet the write with " + property
                                + " = " + expected + " was answered HTTP " + written.status() + ", and "
                                + listing.operation().method() + " "
                                + listing.operation().pathTemplate()
                                + " then listed the written object (found by its " + String.join(", ", keys)
                                + ") with " + property + " = " + expected + "; the same write without the property "
                                + "was listed with " + property + " = "
                                + text(theirs.get().get(property)) + ".")));
        return true;
    }

    /** The listed object whose unique fields (those it shows) hold the values the write sent. */
    private static Optional<JsonNode> listedObject(ProbeResponse listing, SynthesizedRequest write, List<String> keys) {
        if (!listing.isSuccess() || !(write.body() instanceof Map<?, ?> body)) {
            return Optional.empty();
        }
        // Matched on the unique fields the listing shows (a user listing may show the name but not the e-mail).
        return JsonValues.objects(listing).stream()
                .filter(o -> keys.stream().anyMatch(o::has)
                        && keys.stream()
                                .filter(o::has)
                                .allMatch(k -> text(o.get(k)).equals(String.valueOf(body.get(k)))))
                .findFirst();
    }

    private static boolean tryProperty(ScanContext context, Baseline baseline, String property, Object chosen) {
        var credentials = baseline.identity().credentials();
        SynthesizedRequest probe = unique(baseline.request()).with(ParameterLocation.BODY, property, chosen);
        ProbeResponse written = context.send(probe, credentials);
        if (!written.isSuccess()) {
            return false;
        }
        String expected = String.valueOf(chosen);
        PlannedOperation op = baseline.operation();
        Optional<SynthesizedRequest> readBack = readBack(context, op, probe, written);
        if (readBack.isPresent()) {
            // What is stored decides, not what the write answered: many handlers echo the request they merged.
            ProbeResponse stored = context.send(readBack.get(), credentials);
            if (!stored.isSuccess()
                    || !JsonValues.property(stored, property)
                            .map(expected::equals)
                            .orElse(false)) {
                return false;
            }
            context.report(MASS_ASSIGNMENT.finding(
                    Confidence.CONFIRMED,
                    op.method(),
                    op.pathTemplate(),
                    "body:" + property,
                    new Evidence(
                            List.of(Redactor.excerpt(written), Redactor.excerpt(stored)),
                            "The request schema does not declare '" + property + "', yet the write with " + property
                                    + " = " + expected + " was answered HTTP " + written.status() + ", and "
                                    + readBack.get().operation().method() + " "
                                    + readBack.get().operation().pathTemplate()
                                    + " then read the object back with " + property + " = " + expected
                                    + " (second exchange).")));
            return true;
        }
        // Nothing to read the object back with: the write's answer is the only view, against a control write.
        if (!JsonValues.property(written, property).map(expected::equals).orElse(false)) {
            return false;
        }
        ProbeResponse control = context.send(unique(baseline.request()), credentials);
        if (!control.isSuccess()
                || JsonValues.property(control, property).map(expected::equals).orElse(true)) {
            return false;
        }
        context.report(MASS_ASSIGNMENT.finding(
                Confidence.FIRM,
                op.method(),
                op.pathTemplate(),
                "body:" + property,
                new Evidence(
                        List.of(Redactor.excerpt(written), Redactor.excerpt(control)),
                        "The request schema does not declare '" + property + "', yet the write with " + property
                                + " = " + expected + " was answered HTTP " + written.status() + " with " + property
                                + " = " + expected + " (first exchange), while the same write without it showed "
                                + property + " = "
                                + JsonValues.property(control, property).orElse("?")
                                + " (second exchange). This was only seen in the write's own answer, which may echo"
                                + " the request: no operation of the document could read the object back to show"
                                + " it was stored.")));
        return true;
    }

    /**
     * A read of the object the write touched: for a create, the item GET on the id it answered; for PUT or
     * PATCH, the GET on the same path with the same path values. Empty when the document has none.
     */
    private static Optional<SynthesizedRequest> readBack(
            ScanContext context, PlannedOperation op, SynthesizedRequest write, ProbeResponse written) {
        if (op.method().equals("POST")) {
            Optional<PlannedOperation> item = OperationKinds.itemOperation(context.plan(), op, "GET");
            Optional<String> id = JsonValues.createdId(written);
            if (item.isEmpty() || id.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(context.synthesizer()
                    .synthesize(item.get(), new HarvestedValues())
                    .with(ParameterLocation.PATH, OperationKinds.itemParameter(item.get()), id.get()));
        }
        Optional<PlannedOperation> same = context.plan().operations().stream()
                .filter(o -> o.method().equals("GET") && o.pathTemplate().equals(op.pathTemplate()))
                .findFirst();
        if (same.isEmpty()) {
            return Optional.empty();
        }
        SynthesizedRequest read = context.synthesizer().synthesize(same.get(), new HarvestedValues());
        for (var parameter : same.get().pathParameters()) {
            String value = write.valueOf(ParameterLocation.PATH, parameter.name());
            if (value != null) {
                read = read.with(ParameterLocation.PATH, parameter.name(), value);
            }
        }
        return Optional.of(read);
    }

    /** A value the API would not pick itself: the privileged one for roles and flags, a distinct one otherwise. */
    private static Object chosenValue(String property, JsonNode current) {
        if (current.isBoolean()) {
            return !current.asBoolean();
        }
        if (current.isNumber()) {
            return current.asLong() + 1337;
        }
        if (property.toLowerCase().startsWith("role") || property.toLowerCase().contains("admin")) {
            return current.asString().equals("admin") ? "superadmin" : "admin";
        }
        return "venti-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The request with user names, e-mails and the like made unique, so a repeated create does not collide. */
    private static SynthesizedRequest unique(SynthesizedRequest request) {
        if (!(request.body() instanceof Map<?, ?> body)) {
            return request;
        }
        SynthesizedRequest result = request;
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        for (Map.Entry<?, ?> e : new LinkedHashMap<>(body).entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof String text
                    && UNIQUE_FIELD.matcher(name).matches()) {
                int at = text.indexOf('@');
                String changed =
                        at > 0 ? text.substring(0, at) + "-" + suffix + text.substring(at) : text + "-" + suffix;
                result = result.with(ParameterLocation.BODY, name, changed);
            }
        }
        return result;
    }

    /** Properties the documented success responses mark {@code readOnly}: the server alone sets them. */
    private static Set<String> readOnlyProperties(ScanContext context, PlannedOperation op) {
        Set<String> names = new LinkedHashSet<>();
        for (var response : op.successResponses()) {
            Schema<?> schema = context.plan().schemas().resolve(response.schema());
            if (schema != null && schema.getItems() != null) {
                schema = context.plan().schemas().resolve(schema.getItems());
            }
            if (schema == null || schema.getProperties() == null) {
                continue;
            }
            schema.getProperties().forEach((name, property) -> {
                Schema<?> resolved = context.plan().schemas().resolve(property);
                if (resolved != null && Boolean.TRUE.equals(resolved.getReadOnly()) && !name.equals("id")) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    /**
     * The properties the request schema declares, through {@code allOf}, {@code oneOf} and {@code anyOf} (a property
     * any alternative declares is one clients may send), or empty when a part of it cannot be resolved: a property
     * that part might declare would then be taken for an undocumented one.
     */
    private static Optional<Set<String>> requestProperties(ScanContext context, PlannedOperation op) {
        Set<String> names = new LinkedHashSet<>();
        if (op.body() == null || op.body().schema() == null) {
            return Optional.of(names);
        }
        boolean resolved = collectProperties(
                context.plan().schemas(),
                op.body().schema(),
                names,
                Collections.newSetFromMap(new IdentityHashMap<>()));
        return resolved ? Optional.of(names) : Optional.empty();
    }

    /** Adds the properties the schema and its compositions declare; false when a reference does not resolve. */
    private static boolean collectProperties(
            SchemaResolver resolver, Schema<?> raw, Set<String> names, Set<Schema<?>> visited) {
        Schema<?> schema = resolver.resolve(raw);
        if (schema == null) {
            return false;
        }
        if (!visited.add(schema)) {
            return true; // a recursive composition: its properties are already in
        }
        if (schema.getProperties() != null) {
            names.addAll(schema.getProperties().keySet());
        }
        for (List<Schema> parts : Arrays.asList(schema.getAllOf(), schema.getOneOf(), schema.getAnyOf())) {
            for (Schema<?> part : parts == null ? List.<Schema>of() : parts) {
                if (!collectProperties(resolver, part, names, visited)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asString();
    }
}
