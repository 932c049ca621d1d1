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
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.SynthesizedRequest;
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
 * does not declare but responses show, named like a privilege or ownership ({@code role}, {@code isAdmin},
 * {@code owner}, {@code balance}, …) or documented {@code readOnly} (except {@code id}: APIs that let clients
 * pick ids on create are common and not a privilege problem). Confirmed when reading the resource back (or the
 * write's own answer, against a control write without the property) shows the value the scan chose.
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
        declared.addAll(requestProperties(context, op));
        Optional<JsonNode> shown = JsonValues.firstObject(created);
        if (shown.isEmpty()) {
            return;
        }
        Set<String> readOnly = readOnlyProperties(context, op);
        for (String property : shown.get().propertyNames()) {
            if (declared.contains(property)
                    || !(PROTECTED.matcher(property).matches() || readOnly.contains(property))) {
                continue;
            }
            JsonNode current = shown.get().get(property);
            if (!current.isValueNode()) {
                continue;
            }
            Object chosen = chosenValue(property, current);
            if (tryProperty(context, baseline, property, chosen)) {
                return;
            }
        }
    }

    private static boolean tryProperty(ScanContext context, Baseline baseline, String property, Object chosen) {
        SynthesizedRequest control = unique(baseline.request());
        SynthesizedRequest probe = unique(baseline.request()).with(ParameterLocation.BODY, property, chosen);
        ProbeResponse written = context.send(probe, baseline.identity().credentials());
        if (!written.isSuccess()) {
            return false;
        }
        String expected = String.valueOf(chosen);
        // Read back through the item operation when there is one; else the write's own answer must show it.
        PlannedOperation op = baseline.operation();
        Optional<PlannedOperation> read = op.method().equals("POST")
                ? OperationKinds.itemOperation(context.plan(), op, "GET")
                : context.plan().operations().stream()
                        .filter(o ->
                                o.method().equals("GET") && o.pathTemplate().equals(op.pathTemplate()))
                        .findFirst();
        ProbeResponse evidence = written;
        String how;
        if (read.isPresent()
                && op.method().equals("POST")
                && JsonValues.createdId(written).isPresent()) {
            SynthesizedRequest readBack = context.synthesizer()
                    .synthesize(read.get(), new HarvestedValues())
                    .with(
                            ParameterLocation.PATH,
                            OperationKinds.itemParameter(read.get()),
                            JsonValues.createdId(written).get());
            evidence = context.send(readBack, baseline.identity().credentials());
            how = "reading the created object back";
        } else {
            ProbeResponse controlAnswer =
                    context.send(control, baseline.identity().credentials());
            if (!controlAnswer.isSuccess()
                    || JsonValues.property(controlAnswer, property)
                            .map(expected::equals)
                            .orElse(true)) {
                return false;
            }
            how = "the answer, while the same write without the property gave " + property + " = "
                    + JsonValues.property(controlAnswer, property).orElse("?");
        }
        if (!evidence.isSuccess()
                || !JsonValues.property(evidence, property)
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
                        List.of(Redactor.excerpt(written), Redactor.excerpt(evidence)),
                        "The request schema does not declare '" + property + "', yet the write with " + property
                                + " = " + expected + " was answered HTTP " + written.status() + " and " + how
                                + " shows " + property + " = " + expected + ".")));
        return true;
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

    private static Set<String> requestProperties(ScanContext context, PlannedOperation op) {
        Set<String> names = new LinkedHashSet<>();
        if (op.body() == null || op.body().schema() == null) {
            return names;
        }
        Schema<?> schema = context.plan().schemas().resolve(op.body().schema());
        if (schema != null && schema.getProperties() != null) {
            names.addAll(schema.getProperties().keySet());
        }
        return names;
    }
}
