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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API8 Security Misconfiguration, from headers: CORS that reflects any origin with credentials, missing
 * {@code X-Content-Type-Options}, missing HSTS on https, cacheable authenticated responses, TRACE enabled,
 * and server software versions in headers. These are target-wide: each is reported once, on the first
 * operation (by path, then method) that shows it, so the fingerprint stays stable and a missing header in a
 * shared filter does not produce one finding per operation.
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
    static final Rule NOSNIFF = new Rule(
            "misconfig.missing-nosniff",
            "X-Content-Type-Options: nosniff missing",
            OwaspCategory.API8,
            693,
            Severity.LOW,
            "Responses whose type a browser may reinterpret (text/plain, octet-stream or none) lack X-Content-Type-Options: nosniff, so user-controlled content can be sniffed as HTML or script.",
            "Send X-Content-Type-Options: nosniff on every response (most frameworks have a security-headers setting).");
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
    static final Rule TRACE = new Rule(
            "misconfig.trace-enabled",
            "HTTP TRACE enabled",
            OwaspCategory.API8,
            693,
            Severity.LOW,
            "The server answers TRACE by echoing the request, which can expose credentials and cookies (cross-site tracing).",
            "Disable the TRACE method in the web server or framework.");
    static final Rule VERSION = new Rule(
            "misconfig.version-disclosure",
            "Server software version disclosed",
            OwaspCategory.API8,
            200,
            Severity.INFO,
            "A response header names the server software and its version, which helps attackers pick known exploits.",
            "Remove version details from Server, X-Powered-By and similar headers.");

    private static final List<String> VERSION_HEADERS = List.of(
            "server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator", "x-runtime-version");
    private static final Pattern VERSION_NUMBER = Pattern.compile("\\d+\\.\\d+");

    @Override
    public List<Rule> rules() {
        return List.of(CORS, NOSNIFF, HSTS, CACHEABLE, TRACE, VERSION);
    }

    @Override
    public void checkTarget(ScanContext context) {
        List<Baseline> answered = context.baselines().stream()
                .filter(b -> b.response().isSuccess())
                .sorted(Comparator.comparing((Baseline b) -> b.operation().pathTemplate())
                        .thenComparing(b -> b.operation().method()))
                .toList();
        answered.stream()
                .filter(b -> sniffable(b.response()) && !hasNosniff(b.response()))
                .findFirst()
                .ifPresent(
                        b -> reportOn(
                                context,
                                NOSNIFF,
                                b,
                                null,
                                "The response is "
                                        + b.response()
                                                .header("content-type")
                                                .map(t -> "of type " + t)
                                                .orElse("without a Content-Type")
                                        + ", which browsers may sniff as HTML or script, and has no X-Content-Type-Options: nosniff header."));
        if (context.target().target().getScheme().equals("https")) {
            answered.stream()
                    .filter(b ->
                            b.response().header("strict-transport-security").isEmpty())
                    .findFirst()
                    .ifPresent(b -> reportOn(
                            context, HSTS, b, null, "The HTTPS response has no Strict-Transport-Security header."));
        }
        for (String header : VERSION_HEADERS) {
            context.baselines().stream()
                    .sorted(Comparator.comparing((Baseline b) -> b.operation().pathTemplate())
                            .thenComparing(b -> b.operation().method()))
                    .filter(b -> b.response()
                            .header(header)
                            .map(v -> VERSION_NUMBER.matcher(v).find())
                            .orElse(false))
                    .findFirst()
                    .ifPresent(b -> reportOn(
                            context,
                            VERSION,
                            b,
                            "header:" + canonical(header),
                            "The " + canonical(header) + " header reveals a version: "
                                    + b.response().header(header).orElse("")));
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
        checkTrace(context);
    }

    /**
     * Where nosniff matters: a body a browser might reinterpret as HTML or script. Typed JSON, images and
     * the like are not executed whatever the header says.
     */
    private static boolean sniffable(ProbeResponse response) {
        if (response.body().length == 0) {
            return false;
        }
        String type = response.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        return type.isBlank() || type.startsWith("text/plain") || type.startsWith("application/octet-stream");
    }

    private static boolean cacheControlForbidsStoring(ProbeResponse response) {
        String cacheControl = String.join(",", response.headers().getOrDefault("cache-control", List.of()))
                .toLowerCase(Locale.ROOT);
        return cacheControl.contains("no-store") || cacheControl.contains("private");
    }

    private static boolean hasNosniff(ProbeResponse response) {
        return response.header("x-content-type-options")
                .map(v -> v.toLowerCase(Locale.ROOT).contains("nosniff"))
                .orElse(false);
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
                        CORS.finding(
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

    private static void checkTrace(ScanContext context) {
        Optional<ProbeResponse> first = traceProbe(context);
        if (first.isEmpty()) {
            return;
        }
        traceProbe(context)
                .ifPresent(
                        second -> context.report(
                                TRACE.finding(
                                        Confidence.CONFIRMED,
                                        "TRACE",
                                        "/",
                                        null,
                                        new Evidence(
                                                List.of(Redactor.excerpt(first.get())),
                                                "A TRACE request was answered 200 with the request, including a marker header, echoed back."))));
    }

    private static Optional<ProbeResponse> traceProbe(ScanContext context) {
        String marker = "venti-" + UUID.randomUUID();
        ProbeResponse response =
                context.target().send(new ProbeRequest("TRACE", "/", Map.of("X-Venti-Trace", marker), null));
        return response.status() == 200 && response.bodyText().contains(marker)
                ? Optional.of(response)
                : Optional.empty();
    }

    private static void reportOn(
            ScanContext context, Rule rule, Baseline baseline, String parameter, String explanation) {
        context.report(rule.finding(
                Confidence.FIRM,
                baseline.operation().method(),
                baseline.operation().pathTemplate(),
                parameter,
                new Evidence(List.of(Redactor.excerpt(baseline.response())), explanation)));
    }

    private static String canonical(String header) {
        StringBuilder out = new StringBuilder();
        for (String part : header.split("-")) {
            if (!out.isEmpty()) {
                out.append('-');
            }
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString().replace("Aspnet", "AspNet").replace("Aspnetmvc", "AspNetMvc");
    }
}
