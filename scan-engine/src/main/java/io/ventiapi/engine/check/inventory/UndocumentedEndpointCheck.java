package io.ventiapi.engine.check.inventory;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.ResponseSimilarity;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.PlannedOperation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API9 Improper Inventory Management: live endpoints the document does not describe, from a small wordlist
 * (debug, admin, actuator, API docs) and older versions of documented paths. A path counts as live when it
 * answers 2xx twice with something other than what a random path gets (soft-404 pages are common, and often
 * name the path asked for) and does not say refused or not found.
 */
public final class UndocumentedEndpointCheck implements Check {

    static final Rule UNDOCUMENTED_ENDPOINT = new Rule(
            "inventory.undocumented-endpoint",
            "Undocumented endpoint is live",
            OwaspCategory.API9,
            1059,
            Severity.MEDIUM,
            "An endpoint that the API description does not list answers requests: forgotten debug, admin, documentation or old-version endpoints are rarely protected like the documented ones.",
            "Remove or disable the endpoint in production, or document it and give it the same authentication and review as the rest of the API.");

    static final List<String> WORDLIST = List.of(
            "/actuator",
            "/actuator/env",
            "/actuator/heapdump",
            "/actuator/mappings",
            "/actuator/configprops",
            "/admin",
            "/admin/",
            "/debug",
            "/debug/vars",
            "/debug/pprof/",
            "/console",
            "/h2-console",
            "/phpinfo.php",
            "/server-status",
            "/.env",
            "/.git/config",
            "/swagger-ui.html",
            "/swagger-ui/",
            "/swagger.json",
            "/openapi.json",
            "/v2/api-docs",
            "/v3/api-docs",
            "/api-docs",
            "/graphql",
            "/metrics",
            "/trace");
    private static final Pattern NOT_FOUND_TEXT = Pattern.compile(
            "(?i)\\b(not found|no route|no such (route|path|page|endpoint|resource)|unknown (route|path|endpoint))\\b");
    private static final Pattern VERSION_SEGMENT = Pattern.compile("/v(\\d+)/");
    private static final int MAX_VERSIONED_OPERATIONS = 5;

    @Override
    public List<Rule> rules() {
        return List.of(UNDOCUMENTED_ENDPOINT);
    }

    @Override
    public void checkTarget(ScanContext context) {
        Set<String> documented = new LinkedHashSet<>();
        for (PlannedOperation op : context.plan().operations()) {
            documented.add(op.pathTemplate());
        }
        List<ProbeResponse> notFound =
                List.of(get(context, "/venti-" + UUID.randomUUID()), get(context, "/" + UUID.randomUUID() + "/venti"));
        for (Candidate candidate : candidates(context)) {
            String path = candidate.reportedPath();
            if (documented.contains(path) || documented.contains(path.replaceAll("/$", ""))) {
                continue;
            }
            ProbeResponse first = send(context, candidate, candidate.probePath());
            if (!candidate.live(context, first, notFound)
                    || redirectedAway(context, candidate.probePath(), first)
                    || describesThisApi(first, context)) {
                continue;
            }
            // A version that cannot exist answering the same way means the status comes from a filter in front
            // of the routes (authentication, a catch-all), not from a live older version.
            if (candidate.controlPath() != null
                    && candidate.live(context, send(context, candidate, candidate.controlPath()), notFound)) {
                continue;
            }
            ProbeResponse second = send(context, candidate, candidate.probePath());
            if (candidate.live(context, second, notFound) && !redirectedAway(context, candidate.probePath(), second)) {
                context.report(UNDOCUMENTED_ENDPOINT.finding(
                        Confidence.CONFIRMED,
                        candidate.method(),
                        path,
                        null,
                        new Evidence(
                                List.of(Redactor.excerpt(first), Redactor.excerpt(notFound.getFirst())),
                                candidate.method() + " " + path + " answered HTTP " + first.status()
                                        + " twice, unlike a random path (second exchange)"
                                        + (candidate.documented() == null
                                                ? ""
                                                : ", like the documented "
                                                        + candidate
                                                                .documented()
                                                                .operation()
                                                                .pathTemplate())
                                        + "; the API description does not list it.")));
            }
        }
    }

    /**
     * Whether the answer came from following a redirect to a path that is neither the probed one nor below it:
     * {@code /admin} sending to {@code /login} is a guarded door, and the login page's 200 says nothing about
     * what {@code /admin} serves. {@code /swagger-ui/} to {@code /swagger-ui/index.html} stays live.
     */
    private static boolean redirectedAway(ScanContext context, String probed, ProbeResponse response) {
        String answered = response.request().pathAndQuery();
        if (answered.equals(probed)) {
            return false; // not redirected
        }
        // A followed redirect names the absolute path on the target's origin, base path included.
        String requested = context.target().resolve(probed).getRawPath();
        String landed = answered.split("\\?", 2)[0];
        String below = requested.endsWith("/") ? requested : requested + "/";
        return !landed.equals(requested) && !landed.startsWith(below);
    }

    /**
     * Serving the very description the scan was given is publishing the contract, not a forgotten endpoint;
     * a description of something else (internal routes, another service) is reported.
     */
    private static boolean describesThisApi(ProbeResponse response, ScanContext context) {
        return response.json()
                .filter(json -> json.has("openapi") || json.has("swagger"))
                .map(json -> json.path("info")
                                .path("title")
                                .asString("")
                                .equals(context.plan().title())
                        && json.path("paths").size()
                                <= context.plan().operations().size())
                .orElse(false);
    }

    private static ProbeResponse send(ScanContext context, Candidate candidate, String path) {
        if (candidate.documented() == null) {
            return get(context, path);
        }
        Baseline documented = candidate.documented();
        ProbeRequest replay =
                context.probe(documented.request(), documented.identity().credentials());
        return context.target().send(new ProbeRequest(replay.method(), path, replay.headers(), replay.body()));
    }

    /**
     * A path to request and the path (template) to name in the finding, stable across scans. Older versions of
     * documented operations replay the documented baseline (method, body, credentials) on the older path.
     */
    private record Candidate(String probePath, String reportedPath, Baseline documented, String controlPath) {

        String method() {
            return documented == null ? "GET" : documented.operation().method();
        }

        /**
         * Wordlist paths are live when they answer 2xx with a body unlike a random path's that does not say refused
         * or not found ({@code 200 {"code":404,…}}). An older version is live when it answers like the documented
         * version (same status class, nothing refused that the documented answer was not) and not like a missing
         * route. Answers are compared with the path they echo masked: a soft-404 naming the path differs in length
         * only because the random path is longer.
         */
        boolean live(ScanContext context, ProbeResponse response, List<ProbeResponse> notFound) {
            ProbeResponse masked = withoutEchoedPath(context, response);
            if (notFound.stream().anyMatch(nf -> ResponseSimilarity.same(withoutEchoedPath(context, nf), masked))) {
                return false;
            }
            if (documented == null) {
                return response.isSuccess()
                        && response.body().length > 0
                        && !ResponseSimilarity.saysRefused(response)
                        && !saysNotFound(response);
            }
            int status = response.status();
            return status != 404
                    && status != 405
                    && status != 501
                    && status / 100 == documented.response().status() / 100
                    && !ResponseSimilarity.refusedAgainst(documented.response(), response)
                    && !(saysNotFound(response) && !saysNotFound(documented.response()));
        }
    }

    /** Not-found wording in a short body: a long page that merely mentions it is content. */
    private static boolean saysNotFound(ProbeResponse response) {
        return response.body().length <= 4_096
                && NOT_FOUND_TEXT.matcher(response.bodyText()).find();
    }

    /**
     * The response with every occurrence of the path it was sent to (as requested, with the target's base path,
     * and JSON-escaped) replaced by one placeholder, so that answers which only echo their path compare equal.
     */
    private static ProbeResponse withoutEchoedPath(ScanContext context, ProbeResponse response) {
        if (response.request() == null || response.body().length == 0) {
            return response;
        }
        String path = response.request().pathAndQuery().split("\\?", 2)[0];
        String text = response.bodyText();
        String masked = text;
        for (String echo : List.of(context.target().resolve(path).getRawPath(), path)) {
            if (echo.length() > 1) {
                masked = masked.replace(echo, "{path}").replace(echo.replace("/", "\\/"), "{path}");
            }
        }
        return masked.equals(text)
                ? response
                : new ProbeResponse(
                        response.request(),
                        response.status(),
                        response.headers(),
                        masked.getBytes(StandardCharsets.UTF_8),
                        response.elapsed());
    }

    private static List<Candidate> candidates(ScanContext context) {
        List<Candidate> paths = new ArrayList<>();
        WORDLIST.forEach(path -> paths.add(new Candidate(path, path, null, null)));
        int versioned = 0;
        for (Baseline baseline : context.baselines()) {
            if (versioned >= MAX_VERSIONED_OPERATIONS) {
                break;
            }
            String method = baseline.operation().method();
            // A POST replayed on an older version may create an object there that no documented DELETE
            // reaches, so clean-up could not remove it: never in SAFE.
            boolean replayable =
                    method.equals("GET") || (method.equals("POST") && context.profile() != ScanProfile.SAFE);
            int status = baseline.response().status();
            if (!replayable || status == 404 || status == 405 || status >= 500) {
                continue;
            }
            String concrete = baseline.request().pathAndQuery();
            String template = baseline.operation().pathTemplate();
            Matcher m = VERSION_SEGMENT.matcher(concrete);
            Matcher t = VERSION_SEGMENT.matcher(template);
            if (m.find() && t.find()) {
                int version = Integer.parseInt(m.group(1));
                for (int older = version - 1; older >= 0 && older >= version - 2; older--) {
                    paths.add(new Candidate(
                            concrete.substring(0, m.start()) + "/v" + older + "/" + concrete.substring(m.end()),
                            template.substring(0, t.start()) + "/v" + older + "/" + template.substring(t.end()),
                            baseline,
                            concrete.substring(0, m.start()) + "/v" + (version + 97) + "/"
                                    + concrete.substring(m.end())));
                }
                versioned++;
            }
        }
        return paths;
    }

    private static ProbeResponse get(ScanContext context, String path) {
        return context.target()
                .send(new ProbeRequest("GET", path, Map.of("Accept", "*/*", "User-Agent", "venti-scan/1"), null));
    }
}
