package io.ventiapi.engine.check;

import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.plan.PlannedParameter;
import io.ventiapi.engine.synth.RequestSynthesizer;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern PASSWORD_FIELD =
            Pattern.compile("(?i).*(pass|pwd|secret|otp|totp|mfa|pin)$|.*(password|passwd|passphrase).*");

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
     * did not create (think {@code DELETE /orders/1 OR 1=1}); so are the password fields of a login operation.
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
        Set<String> secrets = loginSecrets(baseline, context);
        for (String property : request.scalarBodyProperties()) {
            if (secrets.contains(property)) {
                continue;
            }
            String value = request.valueOf(ParameterLocation.BODY, property);
            points.add(new InjectionPoint(ParameterLocation.BODY, property, value, isNumber(value)));
        }
        return points;
    }

    /**
     * The password-like fields of a login operation and every field but the user name of the identities' own
     * logins: a probe there is a failed login, and five of them lock the scan's own account out for the rest of
     * the scan (the user name stays a point: a probe there names no real account).
     */
    private static Set<String> loginSecrets(Baseline baseline, ScanContext context) {
        PlannedOperation op = baseline.operation();
        Set<String> secrets = new HashSet<>();
        if (OperationKinds.isLogin(op)) {
            baseline.request().scalarBodyProperties().stream()
                    .filter(name -> PASSWORD_FIELD.matcher(name).matches())
                    .forEach(secrets::add);
        }
        for (IdentitySession session : context.sessions()) {
            secrets.addAll(session.loginSecretFields(op.method(), op.pathTemplate()));
        }
        return secrets;
    }

    private static boolean isNumber(String value) {
        return value != null && value.matches("-?\\d+(\\.\\d+)?");
    }
}
