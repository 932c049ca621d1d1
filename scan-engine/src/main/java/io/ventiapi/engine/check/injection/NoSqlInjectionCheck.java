package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * NoSQL operator injection: a query operator ({@code {"$ne": x}} in JSON bodies, {@code name[$ne]=x} in query
 * strings) where a plain value is expected. Reported when the operator returns more data than the same value
 * given literally and more than {@code {"$eq": x}}, twice.
 */
public final class NoSqlInjectionCheck implements Check {

    static final Rule NOSQL = new Rule(
            "injection.nosql-operator",
            "NoSQL operator injection",
            OwaspCategory.API8,
            943,
            Severity.HIGH,
            "A query operator object is accepted where a plain value is expected and changes which records match.",
            "Reject non-scalar values where scalars are expected (schema validation) and build queries with typed values, never raw request objects.");

    @Override
    public List<Rule> rules() {
        return List.of(NOSQL);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            if (point.location() != ParameterLocation.BODY && point.location() != ParameterLocation.QUERY) {
                continue;
            }
            if (point.location() == ParameterLocation.BODY
                    && (baseline.request().mediaType() == null
                            || !baseline.request().mediaType().contains("json"))) {
                continue;
            }
            String nonce = "venti-" + UUID.randomUUID().toString().substring(0, 12);
            SynthesizedRequest literal = point.apply(baseline.request(), nonce);
            ProbeResponse control = context.send(literal, baseline.identity().credentials());
            ProbeResponse notEqual = context.send(
                    withOperator(baseline, point, "$ne", nonce),
                    baseline.identity().credentials());
            if (!returnsMore(notEqual, control)) {
                continue;
            }
            // If "$eq" also returns everything, the server ignores the odd value rather than evaluating it.
            ProbeResponse equal = context.send(
                    withOperator(baseline, point, "$eq", nonce),
                    baseline.identity().credentials());
            ProbeResponse notEqualAgain = context.send(
                    withOperator(baseline, point, "$ne", nonce),
                    baseline.identity().credentials());
            if (!returnsMore(equal, control) && returnsMore(notEqualAgain, control)) {
                SqlInjectionCheck.report(
                        context,
                        baseline,
                        point,
                        NOSQL,
                        List.of(notEqual, equal, control),
                        "The operator {\"$ne\": \"" + nonce + "\"} matched " + notEqual.body().length
                                + " bytes of records, twice; {\"$eq\": \"" + nonce + "\"} and the plain value matched "
                                + equal.body().length + " and " + control.body().length + " bytes.");
                return;
            }
        }
    }

    private static SynthesizedRequest withOperator(
            Baseline baseline, InjectionPoint point, String operator, String value) {
        return point.location() == ParameterLocation.BODY
                ? point.apply(baseline.request(), Map.of(operator, value))
                : baseline.request()
                        .without(ParameterLocation.QUERY, point.name())
                        .with(ParameterLocation.QUERY, point.name() + "[" + operator + "]", value);
    }

    /**
     * The operator was accepted (2xx) and returned more than the literal value: more records, a larger body,
     * or any data where the literal value found nothing (an error status such as "no such coupon").
     */
    private static boolean returnsMore(ProbeResponse injected, ProbeResponse control) {
        if (!injected.isSuccess() || injected.body().length == 0) {
            return false;
        }
        var a = injected.json();
        if (!control.isSuccess()) {
            return control.status() >= 400 && a.isPresent() && !a.get().isEmpty();
        }
        var b = control.json();
        if (a.isPresent() && b.isPresent() && a.get().isArray() && b.get().isArray()) {
            return a.get().size() > b.get().size();
        }
        return injected.body().length > control.body().length * 2
                && injected.body().length > control.body().length + 16;
    }
}
