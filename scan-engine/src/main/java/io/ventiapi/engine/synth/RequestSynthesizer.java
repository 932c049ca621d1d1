package io.ventiapi.engine.synth;

import io.ventiapi.engine.plan.DependencyEdge;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedBody;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.plan.PlannedParameter;
import io.ventiapi.engine.plan.ScanPlan;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a valid request for an operation: path parameters from values harvested from earlier responses
 * (following the dependency graph), everything else from examples and schemas.
 */
public final class RequestSynthesizer {

    /** Headers the engine sets itself; documented parameters with these names are left to it. */
    private static final Set<String> RESERVED_HEADERS =
            Set.of("authorization", "content-type", "accept", "content-length", "host", "cookie");

    private final ScanPlan plan;
    private final ValueSynthesizer values;

    public RequestSynthesizer(ScanPlan plan) {
        this.plan = plan;
        this.values = new ValueSynthesizer(plan.schemas());
    }

    /** A request for {@code operation} using the best values known now. */
    public SynthesizedRequest synthesize(PlannedOperation operation, HarvestedValues harvested) {
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> cookies = new LinkedHashMap<>();
        for (PlannedParameter parameter : operation.parameters()) {
            switch (parameter.location()) {
                case PATH -> path.put(parameter.name(), pathValue(operation, parameter, harvested));
                case QUERY -> {
                    if (parameter.required() || parameter.example() != null) {
                        query.put(parameter.name(), textFor(parameter));
                    }
                }
                case HEADER -> {
                    if ((parameter.required() || parameter.example() != null)
                            && !RESERVED_HEADERS.contains(parameter.name().toLowerCase(Locale.ROOT))) {
                        headers.put(parameter.name(), textFor(parameter));
                    }
                }
                case COOKIE -> {
                    if (parameter.required()) {
                        cookies.put(parameter.name(), textFor(parameter));
                    }
                }
                case BODY -> {}
            }
        }
        PlannedBody plannedBody = operation.body();
        Object body = null;
        String mediaType = null;
        if (plannedBody != null) {
            body = plannedBody.example() != null ? plannedBody.example() : values.valueFor(plannedBody.schema(), null);
            body = PlainValues.of(body);
            mediaType = plannedBody.mediaType();
        }
        return new SynthesizedRequest(operation, path, query, headers, cookies, body, mediaType);
    }

    /** A synthetic value for a parameter, as injection checks need one for parameters the baseline omitted. */
    public String textFor(PlannedParameter parameter) {
        Object value = parameter.example() != null
                ? PlainValues.of(parameter.example())
                : values.valueFor(parameter.schema(), parameter.name());
        return value == null ? "venti" : String.valueOf(value);
    }

    private String pathValue(PlannedOperation operation, PlannedParameter parameter, HarvestedValues harvested) {
        for (DependencyEdge edge : plan.dependencies().producersOf(operation.id())) {
            if (edge.parameter().equals(parameter.name())) {
                Optional<String> value = harvested.valueFor(edge);
                if (value.isPresent()) {
                    return value.get();
                }
            }
        }
        return harvested.valueNamed(parameter.name()).orElseGet(() -> textFor(parameter));
    }

    /** Whether a parameter location takes part in requests this synthesizer builds. */
    public static boolean isMutable(ParameterLocation location, String name) {
        return location != ParameterLocation.HEADER || !RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
