package io.ventiapi.engine.check.resource;

import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedParameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API4 Unrestricted Resource Consumption: no rate limit seen on a cheap operation (a bounded burst that stops at
 * the first 429 or at any rate-limit header; reported as what it measured, not as proof of no limit at all), and regular-expression denial of service on string parameters that
 * carry a pattern or look like e-mail addresses or URLs (time-based and confirmed; not in SAFE).
 */
public final class ResourceConsumptionCheck implements Check {

    /**
     * LOW: a burst of {@value #BURST} requests, paced by the scan's own rate limit, shows only that no limit applies
     * that soon. Limits counted per minute or hour, and gateways that send no header until they refuse, do not
     * show in it, so it cannot say the API has no rate limiting.
     */
    static final Rule NO_RATE_LIMIT = new Rule(
            "resource.no-rate-limit",
            "No rate limit seen in a burst",
            OwaspCategory.API4,
            770,
            Severity.LOW,
            "A burst of identical requests to a cheap operation was served in full, with no 429 and no rate-limit headers. This shows no limit within that many requests at the scan's pace; a limit per minute or hour above it would not show, so check that one is enforced.",
            "Rate-limit every client (per token and per IP) at the gateway or in the application, answer 429 with Retry-After when exceeded, and advertise the limits (RateLimit headers).");

    static final Rule REDOS = new Rule(
            "resource.redos",
            "Regular expression denial of service",
            OwaspCategory.API4,
            1333,
            Severity.HIGH,
            "A short crafted value makes the server's input validation take seconds: its regular expression backtracks catastrophically, and a few such requests tie up every worker.",
            "Use regular expressions without nested quantifiers (or a linear-time engine such as RE2), bound input length before matching, and time-limit validation.");

    static final Rule UNBOUNDED_PAGE = new Rule(
            "resource.unbounded-page-size",
            "Page size accepted without bound",
            OwaspCategory.API4,
            770,
            Severity.MEDIUM,
            "A list operation serves pages far larger than its documented maximum (or than any sane limit): one request can make the server load, serialize and send its whole table.",
            "Enforce a maximum page size on the server (reject or clamp larger values) and document it.");

    static final int BURST = 50;
    private static final Pattern PAGE_SIZE_NAME = Pattern.compile(
            "(?i)^(limit|size|page_?size|pagesize|per_?page|perpage|page\\[size]|count|max_?results|maxresults|top|first|take)$");
    /** Without a documented maximum, this many items in one page count as unbounded. */
    private static final int UNDOCUMENTED_BOUND = 1_000;

    static final Duration SLOW = Duration.ofMillis(1_800);
    static final Duration FAST = Duration.ofMillis(900);
    /**
     * The repeated run must be about as slow: the run was grown only until it crossed {@link #SLOW}, so its time
     * sits just above it and varies by a few percent; requiring {@link #SLOW} twice made the finding come and go.
     */
    static final Duration SLOW_AGAIN = Duration.ofMillis(1_350);
    /** An answer this slow to a run of letters may be the start of exponential growth: lengthen the run by 2 only. */
    private static final Duration GROWING = Duration.ofMillis(200);

    private static final int MIN_RUN = 16;
    private static final int MAX_RUN = 40;
    private static final Pattern HEALTH_LIKE = Pattern.compile(
            "(?i)(health|healthz|health-?check|ready|readyz|readiness|live|livez|liveness|alive|ping|heartbeat|status|version|info|about|metrics|up)");
    /**
     * Headers that say a limiter counts the client's requests: the IETF {@code RateLimit}, {@code RateLimit-Policy}
     * and the {@code X-RateLimit-*} family, vendors' own ({@code x-ms-ratelimit-remaining-*} of Azure,
     * {@code X-App-Rate-Limit}, Shopify's {@code X-Shopify-Shop-Api-Call-Limit}), and {@code Retry-After}, which a
     * 2xx rarely carries unless something counts.
     */
    private static final Pattern RATE_LIMIT_HEADER =
            Pattern.compile("(?i).*rate[-_]?limit.*|.*api[-_]call[-_]limit$|^retry-after$");

    private static final Pattern REGEX_PRONE_NAME =
            Pattern.compile("(?i).*(e-?mail|mail|url|uri|website|domain|link|pattern|regex).*");
    private static final Pattern REGEX_PRONE_FORMAT = Pattern.compile("(?i)(e-?mail|idn-email|uri|url|hostname|iri)");

    @Override
    public List<Rule> rules() {
        return List.of(NO_RATE_LIMIT, REDOS, UNBOUNDED_PAGE);
    }

    @Override
    public void checkTarget(ScanContext context) {
        List<Baseline> cheap = context.baselines().stream()
                .filter(b -> b.operation().method().equals("GET")
                        && b.operation().parameters().isEmpty()
                        && b.response().isSuccess())
                // The API's own operations before health-like ones (often limited apart, or not at all, by
                // design), authenticated before public ones (the limits that matter are per client), then the
                // shortest path, by name: the same operation on every scan of an unchanged API.
                .sorted(Comparator.comparing((Baseline b) -> healthLike(b.operation()))
                        .thenComparing(b -> !b.operation().requiresAuthentication())
                        .thenComparing(b -> b.operation().pathTemplate().split("/").length)
                        .thenComparing(b -> b.operation().pathTemplate()))
                .limit(3)
                .toList();
        for (Baseline baseline : cheap) {
            if (limited(baseline.response())) {
                return;
            }
            Burst burst = burst(context, baseline);
            if (burst == Burst.LIMITED) {
                return;
            }
            if (burst == Burst.SERVED) {
                return; // reported
            }
            // INCONCLUSIVE: an error that is no limit (the data changed under the burst): the next operation.
        }
    }

    private enum Burst {
        SERVED,
        LIMITED,
        INCONCLUSIVE
    }

    private static Burst burst(ScanContext context, Baseline baseline) {
        var wire = context.probe(baseline.request(), baseline.identity().credentials());
        ProbeResponse first = null;
        ProbeResponse last = null;
        long started = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            ProbeResponse response = context.target().sendOnce(wire);
            if (limited(response) || response.status() == 503) {
                return Burst.LIMITED; // the first 429 (or overload refusal, or advertised limit) ends the burst
            }
            if (!response.isSuccess()) {
                return Burst.INCONCLUSIVE;
            }
            first = first == null ? response : first;
            last = response;
        }
        long millis = Math.max(1, Duration.ofNanos(System.nanoTime() - started).toMillis());
        boolean health = healthLike(baseline.operation());
        Finding finding = NO_RATE_LIMIT.targetWideFinding(
                Confidence.FIRM,
                baseline.operation().method(),
                baseline.operation().pathTemplate(),
                null,
                new Evidence(
                        List.of(Redactor.excerpt(first), Redactor.excerpt(last)),
                        "No limit seen within " + BURST + " requests at " + Math.round(BURST * 1000.0 / millis)
                                + " requests per second: " + BURST + " identical requests in " + millis
                                + " ms were all answered HTTP " + last.status() + ", none with 429 or a "
                                + "rate-limit or Retry-After header (first and last exchange). The burst was paced"
                                + " by the scan's own rate limit; a limit per minute or per hour above " + BURST
                                + " requests, or one a gateway enforces without headers until it refuses, would"
                                + " not show."
                                + (health
                                        ? " Only a health-like operation could be tried; a limit above " + BURST
                                                + " requests, or on other operations, would not show."
                                        : "")));
        context.report(health ? finding.withSeverity(Severity.INFO) : finding);
        return Burst.SERVED;
    }

    /** Root, health, readiness, version and similar operations that load balancers and monitors call. */
    static boolean healthLike(io.ventiapi.engine.plan.PlannedOperation op) {
        String path = op.pathTemplate().replaceAll("/+$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() || HEALTH_LIKE.matcher(last).matches();
    }

    private static boolean limited(ProbeResponse response) {
        return response.status() == 429
                || response.headers().keySet().stream()
                        .anyMatch(h -> RATE_LIMIT_HEADER.matcher(h).matches());
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (baseline.operation().method().equals("GET") && baseline.response().isSuccess()) {
            pageSize(context, baseline);
        }
        if (context.profile() == ScanProfile.SAFE || !baseline.response().isSuccess()) {
            return;
        }
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            if (point.numeric() || !regexProne(baseline, point, context)) {
                continue;
            }
            Optional<Redos> confirmed = context.timed(() -> redos(context, baseline, point));
            if (confirmed.isEmpty()) {
                continue;
            }
            int length = confirmed.get().length();
            ProbeResponse slow = confirmed.get().slow();
            ProbeResponse fast = confirmed.get().fast();
            ProbeResponse again = confirmed.get().again();
            context.report(REDOS.finding(
                    Confidence.CONFIRMED,
                    baseline.operation().method(),
                    baseline.operation().pathTemplate(),
                    point.label(),
                    new Evidence(
                            List.of(Redactor.excerpt(slow), Redactor.excerpt(fast), Redactor.excerpt(again)),
                            "A run of " + length + " letters followed by '!' (" + (length + 1) + " characters) took "
                                    + slow.elapsed().toMillis()
                                    + " ms, then " + again.elapsed().toMillis()
                                    + " ms and as long again; values of the same length without a long run, sent"
                                    + " between, took at most " + fast.elapsed().toMillis()
                                    + " ms. Only backtracking over the run explains it.")));
        }
    }

    /** A page size far above the documented maximum (or 5000 without one) served in full, twice. */
    private static void pageSize(ScanContext context, Baseline baseline) {
        for (PlannedParameter parameter : baseline.operation().parameters()) {
            if (parameter.location() != ParameterLocation.QUERY
                    || !PAGE_SIZE_NAME.matcher(parameter.name()).matches()) {
                continue;
            }
            Schema<?> schema = context.plan().schemas().resolve(parameter.schema());
            if (schema != null
                    && schema.getType() != null
                    && !schema.getType().equals("integer")
                    && !schema.getType().equals("number")) {
                continue;
            }
            Integer documented = schema == null || schema.getMaximum() == null
                    ? null
                    : schema.getMaximum().intValue();
            int bound = documented != null ? documented : UNDOCUMENTED_BOUND;
            int asked = documented != null ? documented * 10 : 5_000;
            var request = baseline.request().with(ParameterLocation.QUERY, parameter.name(), asked);
            ProbeResponse first = context.send(request, baseline.identity().credentials());
            int items = items(first);
            if (!first.isSuccess() || items <= bound) {
                continue;
            }
            ProbeResponse second = context.send(request, baseline.identity().credentials());
            if (!second.isSuccess() || items(second) <= bound) {
                continue;
            }
            context.report(UNBOUNDED_PAGE.finding(
                    Confidence.CONFIRMED,
                    baseline.operation().method(),
                    baseline.operation().pathTemplate(),
                    "query:" + parameter.name(),
                    new Evidence(
                            List.of(Redactor.excerpt(first), Redactor.excerpt(baseline.response())),
                            parameter.name() + "=" + asked + " was answered HTTP " + first.status() + " with " + items
                                    + " items, twice (first exchange), "
                                    + (documented != null
                                            ? "although the document says at most " + documented
                                            : "more than " + UNDOCUMENTED_BOUND + " in one page")
                                    + "; the valid request got " + items(baseline.response())
                                    + " (second exchange).")));
            return;
        }
    }

    /** Items in a list answer: a top-level array, or the first array property of an object. */
    private static int items(ProbeResponse response) {
        var json = response.json().orElse(null);
        if (json == null) {
            return 0;
        }
        if (json.isArray()) {
            return json.size();
        }
        for (var property : json.properties()) {
            if (property.getValue().isArray()) {
                return property.getValue().size();
            }
        }
        return 0;
    }

    /**
     * A run of letters that is slow three times, the last two between values of the same length without a long
     * run, each slow one {@link #SLOW_AGAIN} slower than the median of those, which are fast; or empty. A target
     * that stalls now and then may stall on the run once or twice; three times, each between fast answers, is the
     * run's doing.
     */
    private static Optional<Redos> redos(ScanContext context, Baseline baseline, InjectionPoint point) {
        SlowRun run = slowRun(context, baseline, point);
        if (run == null) {
            return Optional.empty();
        }
        int length = run.length();
        String plain = "a-".repeat(length / 2) + "!";
        String slow = "a".repeat(length) + "!";
        List<ProbeResponse> controls = new ArrayList<>();
        controls.add(send(context, baseline, point, plain));
        ProbeResponse again = null;
        for (int i = 0; i < 2; i++) {
            ProbeResponse repeated = send(context, baseline, point, slow);
            controls.add(send(context, baseline, point, plain));
            if (median(controls).compareTo(FAST) >= 0
                    || repeated.elapsed().compareTo(median(controls).plus(SLOW_AGAIN)) < 0) {
                return Optional.empty();
            }
            again = again == null ? repeated : again;
        }
        ProbeResponse fast = controls.stream()
                .max(Comparator.comparing(ProbeResponse::elapsed))
                .orElseThrow();
        return Optional.of(new Redos(length, run.response(), fast, again));
    }

    private static Duration median(List<ProbeResponse> responses) {
        List<Duration> sorted =
                responses.stream().map(ProbeResponse::elapsed).sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private record Redos(int length, ProbeResponse slow, ProbeResponse fast, ProbeResponse again) {}

    /**
     * The shortest run of letters (followed by '!') that makes the operation slow, with its answer, or null. Runs grow from 16 to 40
     * letters, by 4 and by 2 once an answer takes noticeably longer: catastrophic backtracking doubles its time with
     * every letter or two, and a target whose expression is exponential must be slowed for seconds, never frozen
     * for hours (a 40-letter run costs 2^40 steps; in a runtime that holds one lock while matching, that stops the
     * whole server).
     */
    private static SlowRun slowRun(ScanContext context, Baseline baseline, InjectionPoint point) {
        int length = MIN_RUN;
        while (length <= MAX_RUN) {
            ProbeResponse response = send(context, baseline, point, "a".repeat(length) + "!");
            if (response.elapsed().compareTo(SLOW) >= 0) {
                return new SlowRun(length, response);
            }
            length += response.elapsed().compareTo(GROWING) >= 0 ? 2 : 4;
        }
        return null;
    }

    private record SlowRun(int length, ProbeResponse response) {}

    private static ProbeResponse send(ScanContext context, Baseline baseline, InjectionPoint point, String value) {
        return context.send(
                point.apply(baseline.request(), value), baseline.identity().credentials());
    }

    private static boolean regexProne(Baseline baseline, InjectionPoint point, ScanContext context) {
        if (REGEX_PRONE_NAME.matcher(point.name()).matches()) {
            return true;
        }
        if (point.location() == ParameterLocation.BODY) {
            return false;
        }
        for (PlannedParameter parameter : baseline.operation().parameters()) {
            if (parameter.name().equals(point.name()) && parameter.location() == point.location()) {
                Schema<?> schema = context.plan().schemas().resolve(parameter.schema());
                return schema != null
                        && (schema.getPattern() != null
                                || (schema.getFormat() != null
                                        && REGEX_PRONE_FORMAT
                                                .matcher(schema.getFormat().toLowerCase(Locale.ROOT))
                                                .matches()));
            }
        }
        return false;
    }
}
