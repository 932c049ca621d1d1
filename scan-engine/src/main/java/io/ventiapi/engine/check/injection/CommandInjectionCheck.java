package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import java.util.List;
import java.util.function.IntFunction;

/**
 * OS command injection, time-based: shell separators followed by {@code sleep} in every parameter. Not run in
 * SAFE, which sends no probes that hold server resources.
 */
public final class CommandInjectionCheck implements Check {

    static final Rule COMMAND_TIME = new Rule(
            "injection.os-command-time",
            "OS command injection (time-based)",
            OwaspCategory.API8,
            78,
            Severity.CRITICAL,
            "A shell command appended to the parameter runs on the server: a sleep command delays the response by the requested time.",
            "Do not pass request data to a shell; call programs with an argument list (no shell) and validate values against a strict allow-list.");

    @Override
    public List<Rule> rules() {
        return List.of(COMMAND_TIME);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (context.profile() == ScanProfile.SAFE) {
            return;
        }
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            String v = point.original();
            List<IntFunction<String>> payloads = List.of(
                    d -> v + ";sleep " + d,
                    d -> v + "|sleep " + d,
                    d -> v + "&&sleep " + d,
                    d -> v + "$(sleep " + d + ")",
                    d -> v + "`sleep " + d + "`");
            for (IntFunction<String> payload : payloads) {
                var confirmed = TimeBasedConfirmation.confirm(context, baseline, point, payload);
                if (confirmed.isPresent()) {
                    SqlInjectionCheck.report(
                            context,
                            baseline,
                            point,
                            COMMAND_TIME,
                            confirmed.get(),
                            TimeBasedConfirmation.explanation(confirmed.get()));
                    break;
                }
            }
        }
    }
}
