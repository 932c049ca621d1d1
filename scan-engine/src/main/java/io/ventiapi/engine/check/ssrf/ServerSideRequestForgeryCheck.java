package io.ventiapi.engine.check.ssrf;

import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.canary.CanaryListener;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.PlannedParameter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API7 Server Side Request Forgery, out of band: every URL-like parameter (by name, by format, or because its
 * valid value is a URL) gets the URL of the engine's canary listener with a fresh token. A request arriving at
 * the canary for that token proves the target fetched it; nothing is guessed from the response. The engine sends
 * nothing to the canary itself and never a request outside the target origin.
 */
public final class ServerSideRequestForgeryCheck implements Check {

    static final Rule SSRF = new Rule(
            "ssrf.canary-fetched",
            "Server-side request forgery",
            OwaspCategory.API7,
            918,
            Severity.HIGH,
            "The API fetches a URL taken from the request: an attacker can make the server call internal services, cloud metadata endpoints or other hosts on its behalf.",
            "Fetch only from an allow-list of hosts and schemes, resolve and reject private, loopback and link-local addresses (also after redirects), and run fetchers in a network segment without access to internal services.");

    private static final Duration WAIT_FOR_HIT = Duration.ofMillis(1_200);
    private static final Pattern URL_NAME = Pattern.compile(
            "(?i).*(url|uri|href|link|callback|webhook|redirect|endpoint|feed|avatar|image|img|src|source|fetch|proxy|dest|destination).*");

    @Override
    public List<Rule> rules() {
        return List.of(SSRF);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        Optional<CanaryListener> canary = context.canary();
        if (canary.isEmpty()
                || !baseline.response().isSuccess() && baseline.response().status() != 400) {
            return;
        }
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            if (point.numeric() || !urlLike(baseline, point, context)) {
                continue;
            }
            String token = canary.get().newToken();
            String url = canary.get().urlFor(token);
            ProbeResponse response = context.send(
                    point.apply(baseline.request(), url), baseline.identity().credentials());
            Optional<CanaryListener.Hit> hit = canary.get().awaitHit(token, WAIT_FOR_HIT);
            if (hit.isEmpty()) {
                continue;
            }
            CanaryListener.Hit h = hit.get();
            context.report(SSRF.finding(
                    Confidence.CONFIRMED,
                    baseline.operation().method(),
                    baseline.operation().pathTemplate(),
                    point.label(),
                    new Evidence(
                            List.of(Redactor.excerpt(response)),
                            "The canary URL " + url + " was sent in " + point.label() + " (exchange below); the "
                                    + "canary then received " + h.method() + " " + h.path() + " from "
                                    + h.remoteAddress()
                                    + " (User-Agent: " + h.userAgent() + ") at " + h.at()
                                    + ". The token in the path was used for this request only.")));
        }
    }

    private static boolean urlLike(Baseline baseline, InjectionPoint point, ScanContext context) {
        if (URL_NAME.matcher(point.name()).matches()) {
            return true;
        }
        String original = point.original() == null ? "" : point.original().toLowerCase(Locale.ROOT);
        if (original.startsWith("http://") || original.startsWith("https://")) {
            return true;
        }
        for (PlannedParameter parameter : baseline.operation().parameters()) {
            if (parameter.name().equals(point.name()) && parameter.location() == point.location()) {
                Schema<?> schema = context.plan().schemas().resolve(parameter.schema());
                return schema != null
                        && schema.getFormat() != null
                        && schema.getFormat().toLowerCase(Locale.ROOT).matches("uri|url|iri|uri-reference");
            }
        }
        return false;
    }
}
