package io.ventiapi.engine.check.misconfig;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API8: error responses that expose internals (stack traces, debug pages). Each parameter gets a value of the
 * wrong type; a stack-trace signature that the valid request did not show, seen twice, is reported. SQL error
 * messages are left to the SQL injection check, which can confirm the injection itself.
 */
public final class VerboseErrorCheck implements Check {

    static final Rule VERBOSE_ERROR = new Rule(
            "misconfig.verbose-error",
            "Error response exposes a stack trace or debug page",
            OwaspCategory.API8,
            209,
            Severity.MEDIUM,
            "Unexpected input makes the API answer with a stack trace or framework debug page, revealing code paths, libraries and versions.",
            "Return a generic error body (status, short message, correlation id) and log details server-side; disable debug mode in production.");

    /** Signatures of stack traces and debug pages, by platform. */
    static final List<Pattern> SIGNATURES = List.of(
            Pattern.compile("\\bat [\\w$.]+\\([\\w$]+\\.(java|kt|scala):\\d+\\)"),
            Pattern.compile("Traceback \\(most recent call last\\)"),
            Pattern.compile("\\bat [\\w.<>`]+\\(.*\\) in .+:line \\d+"),
            Pattern.compile("Stack trace:\\s*(<br />)?\\s*#0 "),
            Pattern.compile("<b>(Fatal|Parse) error</b>:"),
            Pattern.compile("\\bat .+ \\((/|[A-Z]:\\\\).+\\.(js|ts|mjs|cjs):\\d+:\\d+\\)"),
            Pattern.compile("\\.rb:\\d+:in `"),
            Pattern.compile("You're seeing this error because you have <code>DEBUG = True</code>"),
            Pattern.compile("Werkzeug Debugger"),
            Pattern.compile("goroutine \\d+ \\[running\\]:"));

    private static final String WRONG_TYPE = "venti-not-a-valid-value\"}";

    @Override
    public List<Rule> rules() {
        return List.of(VERBOSE_ERROR);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (signature(baseline.response()).isPresent()) {
            return;
        }
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            Object wrong = point.numeric() ? "venti" : WRONG_TYPE;
            var probe = point.apply(baseline.request(), wrong);
            ProbeResponse first = context.send(probe, baseline.identity().credentials());
            Optional<String> seen = signature(first);
            if (seen.isEmpty()) {
                continue;
            }
            ProbeResponse second = context.send(probe, baseline.identity().credentials());
            if (signature(second).isPresent()) {
                context.report(VERBOSE_ERROR.finding(
                        Confidence.CONFIRMED,
                        baseline.operation().method(),
                        baseline.operation().pathTemplate(),
                        point.label(),
                        new Evidence(
                                List.of(Redactor.excerpt(first), Redactor.excerpt(baseline.response())),
                                "A value of the wrong type in " + point.label() + " produced HTTP " + first.status()
                                        + " with a stack trace (\"" + seen.get()
                                        + "\"), twice; the valid request did not.")));
                return;
            }
        }
    }

    static Optional<String> signature(ProbeResponse response) {
        String text = response.bodyText();
        for (Pattern pattern : SIGNATURES) {
            var matcher = pattern.matcher(text);
            if (matcher.find()) {
                return Optional.of(matcher.group());
            }
        }
        return Optional.empty();
    }
}
