package io.ventiapi.engine.check;

import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedParameter;
import io.ventiapi.engine.synth.RequestSynthesizer;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A place in a request where a check can put its own value: a path, query, header or cookie parameter, or a
 * top-level property of the body.
 *
 * @param location where it travels
 * @param name parameter or property name
 * @param original the value of the valid request, the base most payloads extend
 * @param numeric whether the documented value is a number
 */
public record InjectionPoint(ParameterLocation location, String name, String original, boolean numeric) {

    /** The label used in findings, e.g. {@code query:sort}. */
    public String label() {
        return location.label() + ":" + name;
    }

    /** The baseline request with this point set to {@code value}. */
    public SynthesizedRequest apply(SynthesizedRequest request, Object value) {
        return request.with(location, name, value);
    }

    /**
     * Every point of an operation, in document order: parameters first, then body properties. The path of a
     * PUT, PATCH or DELETE is left alone outside AGGRESSIVE: a payload there could select resources the scan
     * did not create (think {@code DELETE /orders/1 OR 1=1}).
     */
    public static List<InjectionPoint> of(Baseline baseline, ScanContext context) {
        SynthesizedRequest request = baseline.request();
        RequestSynthesizer synthesizer = context.synthesizer();
        boolean pathIsFixed = baseline.operation().isDestructive() && context.profile() != ScanProfile.AGGRESSIVE;
        List<InjectionPoint> points = new ArrayList<>();
        for (PlannedParameter parameter : baseline.operation().parameters()) {
            if (!RequestSynthesizer.isMutable(parameter.location(), parameter.name())
                    || (pathIsFixed && parameter.location() == ParameterLocation.PATH)) {
                continue;
            }
            String current = request.valueOf(parameter.location(), parameter.name());
            String value = current != null ? current : synthesizer.textFor(parameter);
            points.add(new InjectionPoint(parameter.location(), parameter.name(), value, isNumber(value)));
        }
        for (String property : request.scalarBodyProperties()) {
            String value = request.valueOf(ParameterLocation.BODY, property);
            points.add(new InjectionPoint(ParameterLocation.BODY, property, value, isNumber(value)));
        }
        return points;
    }

    private static boolean isNumber(String value) {
        return value != null && value.matches("-?\\d+(\\.\\d+)?");
    }
}
