package io.ventiapi.engine.check.misconfig;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * API8 Security Misconfiguration, from headers: CORS that reflects any origin with credentials, missing HSTS
 * on https, cacheable authenticated responses. (TRACE, missing {@code X-Content-Type-Options} and version
 * disclosure are declarative rules: {@code src/main/resources/rules/API8}.) These are target-wide: each is reported once, on the first
 * operation (by path, then method) that shows it, so a missing header in a shared filter does not produce one
 * finding per operation; that operation is an example, not part of the fingerprint.
 */
public final class SecurityMisconfigurationCheck implements Check {

    static final Rule CORS = new Rule(
            "misconfig.cors-credentials",
            "CORS reflects any origin with credentials",
            OwaspCategory.API8,
            942,
            Severity.HIGH,
            "The API echoes any Origin in Access-Control-Allow-Origin and allows credentials: any web site a user visits can call the API as that user.",
            "Allow only a fixed list of trusted origins; never reflect the request's Origin when credentials are allowed.");
    static final Rule HSTS = new Rule(
            "misconfig.missing-hsts",
            "Strict-Transport-Security missing on HTTPS",
            OwaspCategory.API8,
            319,
            Severity.LOW,
            "HTTPS responses lack Strict-Transport-Security, so clients can be downgraded to plain HTTP.",
            "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on HTTPS responses.");
    static final Rule CACHEABLE = new Rule(
            "misconfig.cacheable-authenticated-response",
            "Authenticated response may be cached",
            OwaspCategory.API8,
            525,
            Severity.LOW,
            "A response to an authenticated request has no Cache-Control: no-store (or private), so shared caches and browsers may keep and serve user data.",
            "Send Cache-Control: no-store on responses that carry user-specific data.");

    @Override
    public List<Rule> rules() {
        return List.of(CORS, HSTS, CACHEABLE);
    }

    @Override
    public void checkTarget(ScanContext context) {
        List<Baseline> answered = context.baselines().stream()
                .filter(b -> b.response().isSuccess())
                .sorted(Comparator.comparing((Baseline b) -> b.operation().pathTemplate())
                        .thenComparing(b -> b.operation().method()))
                .toList();
        if (context.target().target().getScheme().equals("https")) {
            answered.stream()
                    .filter(b ->
                            b.response().header("strict-transport-security").isEmpty())
                    .findFirst()
                    .ifPresent(b -> reportOn(
                            context, HSTS, b, null, "The HTTPS response has no Strict-Transport-Security header."));
        }
        answered.stream()
                .filter(b -> b.operation().requiresAuthentication()
                        && b.identity().isAuthenticated()
                        && b.response().body().length > 0)
                .filter(b -> !cacheControlForbidsStoring(b.response()))
                .findFirst()
                .ifPresent(b -> reportOn(
                        context,
                        CACHEABLE,
                        b,
                        null,
                        "The authenticated response has "
                                + b.response()
                                        .header("cache-control")
                                        .map(v -> "Cache-Control: " + v)
                                        .orElse("no Cache-Control header")
                                + "."));
        // CORS is often configured per route: try every readable operation until one reflects.
        for (Baseline b : answered) {
            if (b.operation().method().equals("GET") && checkCors(context, b)) {
                break;
            }
        }
    }

    private static boolean cacheControlForbidsStoring(ProbeResponse response) {
        String cacheControl = String.join(",", response.headers().getOrDefault("cache-control", List.of()))
                .toLowerCase(Locale.ROOT);
        return cacheControl.contains("no-store") || cacheControl.contains("private");
    }

    /** Whether this operation reflects arbitrary origins with credentials; reports it when it does. */
    private static boolean checkCors(ScanContext context, Baseline baseline) {
        Optional<ProbeResponse> first = corsProbe(context, baseline);
        if (first.isEmpty()) {
            return false;
        }
        Optional<ProbeResponse> second = corsProbe(context, baseline);
        second.ifPresent(
                confirmed -> context.report(
                        CORS.targetWideFinding(
                                Confidence.CONFIRMED,
                                baseline.operation().method(),
                                baseline.operation().pathTemplate(),
                                "header:Origin",
                                new Evidence(
                                        List.of(Redactor.excerpt(first.get()), Redactor.excerpt(confirmed)),
                                        "Two different made-up origins were each echoed in Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true."))));
        return second.isPresent();
    }

    /** The response if it reflected a fresh random origin and allowed credentials. */
    private static Optional<ProbeResponse> corsProbe(ScanContext context, Baseline baseline) {
        String origin = "https://venti-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        ProbeRequest request = context.probe(
                        baseline.request(), baseline.identity().credentials())
                .withHeader("Origin", origin);
        ProbeResponse response = context.target().send(request);
        boolean reflected = response.header("access-control-allow-origin")
                .map(origin::equals)
                .orElse(false);
        boolean credentials = response.header("access-control-allow-credentials")
                .map(v -> v.trim().equalsIgnoreCase("true"))
                .orElse(false);
        return reflected && credentials ? Optional.of(response) : Optional.empty();
    }

    private static void reportOn(
            ScanContext context, Rule rule, Baseline baseline, String parameter, String explanation) {
        context.report(rule.targetWideFinding(
                Confidence.FIRM,
                baseline.operation().method(),
                baseline.operation().pathTemplate(),
                parameter,
                new Evidence(List.of(Redactor.excerpt(baseline.response())), explanation)));
    }
}
