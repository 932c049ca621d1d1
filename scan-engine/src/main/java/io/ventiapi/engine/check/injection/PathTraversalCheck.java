package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Path traversal: relative paths to well-known system files in every text parameter; reported when the file's
 * unmistakable content comes back twice and was not in the valid answer.
 */
public final class PathTraversalCheck implements Check {

    static final Rule TRAVERSAL = new Rule(
            "injection.path-traversal",
            "Path traversal",
            OwaspCategory.API8,
            22,
            Severity.HIGH,
            "A relative path in the parameter reads files outside the intended directory: a system file came back.",
            "Map client values to files through an allow-list or ids; if paths are unavoidable, canonicalize and check they stay under the base directory.");

    private static final List<String> PAYLOADS = List.of(
            "../../../../../../../../etc/passwd",
            "....//....//....//....//....//....//etc/passwd",
            "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "..\\..\\..\\..\\..\\..\\windows\\win.ini");
    private static final List<Pattern> FILE_CONTENT =
            List.of(Pattern.compile("root:[^:\\n]*:0:0:"), Pattern.compile("; for 16-bit app support"));

    @Override
    public List<Rule> rules() {
        return List.of(TRAVERSAL);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (leaks(baseline.response())) {
            return;
        }
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            if (point.numeric()) {
                continue;
            }
            for (String payload : PAYLOADS) {
                var request = point.apply(baseline.request(), payload);
                ProbeResponse first = context.send(request, baseline.identity().credentials());
                if (!leaks(first)) {
                    continue;
                }
                ProbeResponse second = context.send(request, baseline.identity().credentials());
                if (leaks(second)) {
                    SqlInjectionCheck.report(
                            context,
                            baseline,
                            point,
                            TRAVERSAL,
                            List.of(first),
                            "The value \"" + payload
                                    + "\" returned the content of a system file, twice; the valid request did not.");
                    return;
                }
            }
        }
    }

    private static boolean leaks(ProbeResponse response) {
        String text = response.bodyText();
        return FILE_CONTENT.stream().anyMatch(p -> p.matcher(text).find());
    }
}
