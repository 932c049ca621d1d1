package io.ventiapi.engine.rules;

import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.OutOfScopeException;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.http.UnsendableRequestException;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.plan.PlannedOperation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@link DeclarativeRule}s as a check: target rules once per scan, operation rules on every selected
 * operation with a valid answer ({@code once} rules on the first matching operation by path, then method, per
 * parameter, with a fingerprint of rule and parameter only, as they are about the whole target). A rule reports when every step's conditions hold, {@code confirm} times in a row.
 */
public final class DeclarativeCheck implements Check {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "TRACE", "DELETE", "OPTIONS");
    private static final String HEX = "0123456789ABCDEFabcdef";
    /** Characters a path and query may hold as they are (RFC 3986: unreserved, sub-delims, ":", "@", "/", "?"). */
    private static final String URL_TEXT =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?";

    private final List<DeclarativeRule> rules;

    public DeclarativeCheck(List<DeclarativeRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules that ship with the engine. */
    public static DeclarativeCheck bundled() {
        return new DeclarativeCheck(RuleLoader.bundled());
    }

    /** The rules this check runs. */
    public List<DeclarativeRule> declarativeRules() {
        return rules;
    }

    @Override
    public List<Rule> rules() {
        return rules.stream().map(DeclarativeRule::info).toList();
    }

    @Override
    public void checkTarget(ScanContext context) {
        for (DeclarativeRule rule : rules) {
            if (rule.scope() == DeclarativeRule.Scope.TARGET) {
                evaluateOrSkip(context, rule, null)
                        .ifPresent(result -> report(context, rule, null, result, new HashSet<>()));
            } else if (rule.once()) {
                Set<String> reported = new HashSet<>();
                List<Baseline> ordered = context.baselines().stream()
                        .filter(b -> selected(rule, b))
                        .sorted(Comparator.comparing(
                                        (Baseline b) -> b.operation().pathTemplate())
                                .thenComparing(b -> b.operation().method()))
                        .toList();
                boolean sends = rule.steps().stream().anyMatch(s -> s.request().isPresent());
                for (Baseline baseline : ordered) {
                    Optional<Result> result = evaluateOrSkip(context, rule, baseline);
                    if (result.isPresent() && report(context, rule, baseline, result.get(), reported) && sends) {
                        break; // a rule that sends requests stops at its first finding
                    }
                }
            }
        }
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        for (DeclarativeRule rule : rules) {
            if (rule.scope() == DeclarativeRule.Scope.OPERATION && !rule.once() && selected(rule, baseline)) {
                evaluateOrSkip(context, rule, baseline)
                        .ifPresent(result -> report(context, rule, baseline, result, new HashSet<>()));
            }
        }
    }

    /** What one successful evaluation saw: exchanges of the first round and the alternative variable bindings. */
    private record Result(
            List<ProbeResponse> exchanges, List<Map<String, String>> bindings, String firstMethod, String firstPath) {}

    /**
     * A rule whose request cannot be sent (a header value with a line break, a path that is no URL below the
     * target) is skipped there with a note; the other rules, and the scan, go on.
     */
    private Optional<Result> evaluateOrSkip(ScanContext context, DeclarativeRule rule, Baseline baseline) {
        try {
            return evaluate(context, rule, baseline);
        } catch (OutOfScopeException | UnsendableRequestException e) {
            context.note("rule " + rule.id() + " (" + rule.source() + ") was skipped"
                    + (baseline == null
                            ? ""
                            : " on " + baseline.operation().method() + " "
                                    + baseline.operation().pathTemplate())
                    + ": its request could not be sent ("
                    + (e instanceof OutOfScopeException ? "its path is not a URL below the target" : e.getMessage())
                    + ")");
            return Optional.empty();
        }
    }

    private Optional<Result> evaluate(ScanContext context, DeclarativeRule rule, Baseline baseline) {
        Result first = null;
        for (int round = 0; round < rule.confirm(); round++) {
            Optional<Result> result = round(context, rule, baseline);
            if (result.isEmpty()) {
                return Optional.empty();
            }
            first = first == null ? result.get() : first;
        }
        return Optional.ofNullable(first);
    }

    private Optional<Result> round(ScanContext context, DeclarativeRule rule, Baseline baseline) {
        Map<String, String> variables = new HashMap<>();
        variables.put("marker", "venti-" + UUID.randomUUID().toString().substring(0, 12));
        List<ProbeResponse> exchanges = new ArrayList<>();
        List<Map<String, String>> bindings = List.of(Map.of());
        String firstMethod = null;
        String firstPath = null;
        for (DeclarativeRule.Step step : rule.steps()) {
            ProbeResponse response;
            if (step.request().isPresent()) {
                ProbeRequest request = build(context, step.request().get(), baseline, variables);
                firstMethod = firstMethod == null ? request.method() : firstMethod;
                firstPath = firstPath == null ? request.pathAndQuery().split("\\?", 2)[0] : firstPath;
                response = context.target().send(request);
            } else {
                response = baseline.response();
            }
            exchanges.add(response);
            List<Map<String, String>> stepBindings = List.of(Map.of());
            for (DeclarativeRule.Condition condition : step.match()) {
                List<Map<String, String>> holds = holds(condition, response, variables);
                if (holds.isEmpty()) {
                    return Optional.empty();
                }
                stepBindings = combine(stepBindings, holds);
            }
            bindings = combine(bindings, stepBindings);
            for (Map.Entry<String, DeclarativeRule.Extraction> extraction :
                    step.extract().entrySet()) {
                Optional<String> value = extract(extraction.getValue(), response);
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                variables.put(extraction.getKey(), value.get());
            }
        }
        List<Map<String, String>> withVariables = bindings.stream()
                .map(b -> {
                    Map<String, String> all = new HashMap<>(variables);
                    all.putAll(b);
                    return (Map<String, String>) all;
                })
                .toList();
        return Optional.of(new Result(exchanges, withVariables, firstMethod, firstPath));
    }

    private static List<Map<String, String>> combine(List<Map<String, String>> a, List<Map<String, String>> b) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> x : a) {
            for (Map<String, String> y : b) {
                Map<String, String> merged = new LinkedHashMap<>(x);
                merged.putAll(y);
                out.add(merged);
            }
        }
        return out;
    }

    private ProbeRequest build(
            ScanContext context, DeclarativeRule.RequestSpec spec, Baseline baseline, Map<String, String> variables) {
        ProbeRequest base;
        if (baseline != null) {
            Credentials credentials =
                    spec.anonymous() ? Credentials.none() : baseline.identity().credentials();
            base = context.probe(baseline.request(), credentials);
        } else {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", "application/json, */*;q=0.5");
            headers.put("User-Agent", "venti-scan/1");
            if (!spec.anonymous() && !context.sessions().isEmpty()) {
                headers.putAll(context.sessions().getFirst().credentials().headers());
            }
            base = new ProbeRequest("GET", "/", headers, null);
        }
        String method = spec.method() != null ? spec.method() : base.method();
        String pathAndQuery = spec.path() != null ? asUrlText(render(spec.path(), variables)) : base.pathAndQuery();
        StringBuilder query = new StringBuilder();
        spec.query()
                .forEach((k, v) -> query.append(query.isEmpty() ? "" : "&")
                        .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(render(v, variables), StandardCharsets.UTF_8)));
        if (!query.isEmpty()) {
            pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + query;
        }
        byte[] body = spec.body() != null
                ? render(spec.body(), variables).getBytes(StandardCharsets.UTF_8)
                : spec.method() != null && BODYLESS.contains(method) ? null : base.body();
        ProbeRequest request = new ProbeRequest(method, pathAndQuery, base.headers(), body);
        if (body == null) {
            request = request.withHeader("Content-Type", null);
        }
        for (String header : spec.removeHeaders()) {
            request = request.withHeader(header, null);
        }
        for (Map.Entry<String, String> header : spec.headers().entrySet()) {
            request = request.withHeader(header.getKey(), render(header.getValue(), variables));
        }
        return request;
    }

    private static List<Map<String, String>> holds(
            DeclarativeRule.Condition condition, ProbeResponse response, Map<String, String> variables) {
        List<Map<String, String>> yes = List.of(Map.of());
        List<Map<String, String>> no = List.of();
        return switch (condition) {
            case DeclarativeRule.StatusIs status -> statusMatches(status.statuses(), response.status()) ? yes : no;
            case DeclarativeRule.HeaderIs header -> {
                List<Map<String, String>> matched = new ArrayList<>();
                for (String name : header.names()) {
                    Optional<String> value = response.header(name);
                    boolean ok = true;
                    if (header.exists() != null) {
                        ok = value.isPresent() == header.exists();
                    }
                    if (header.regex() != null) {
                        ok &= value.isPresent()
                                && header.regex().matcher(value.get()).find();
                    }
                    if (header.notRegex() != null) {
                        ok &= value.isEmpty()
                                || !header.notRegex().matcher(value.get()).find();
                    }
                    if (ok) {
                        matched.add(Map.of("matched.header", name, "matched.value", value.orElse("")));
                    }
                }
                yield matched;
            }
            case DeclarativeRule.BodyIs body -> {
                String text = response.bodyText();
                boolean ok = (body.contains() == null || text.contains(render(body.contains(), variables)))
                        && (body.notContains() == null || !text.contains(render(body.notContains(), variables)))
                        && (body.regex() == null || body.regex().matcher(text).find())
                        && (body.notRegex() == null
                                || !body.notRegex().matcher(text).find())
                        && (body.minLength() == null || response.body().length >= body.minLength());
                yield ok ? yes : no;
            }
            case DeclarativeRule.JsonIs json -> {
                JsonNode node = response.json().map(j -> j.at(json.pointer())).orElse(null);
                boolean present = node != null && !node.isMissingNode();
                boolean ok = (json.exists() == null || json.exists() == present)
                        && (json.equalsText() == null
                                || (present && node.asString().equals(render(json.equalsText(), variables))))
                        && (json.regex() == null
                                || (present
                                        && json.regex().matcher(node.asString()).find()));
                yield ok ? yes : no;
            }
            case DeclarativeRule.TimeIs time -> {
                long millis = response.elapsed().toMillis();
                boolean ok = (time.minMillis() == null || millis >= time.minMillis())
                        && (time.maxMillis() == null || millis <= time.maxMillis());
                yield ok ? yes : no;
            }
            case DeclarativeRule.AnyOf any -> {
                List<Map<String, String>> matched = new ArrayList<>();
                for (DeclarativeRule.Condition child : any.conditions()) {
                    matched.addAll(holds(child, response, variables));
                }
                yield matched.isEmpty() ? no : List.of(matched.getFirst());
            }
        };
    }

    private static boolean statusMatches(List<String> statuses, int status) {
        String code = Integer.toString(status);
        return statuses.stream().anyMatch(s -> s.equals(code) || (s.endsWith("xx") && s.charAt(0) == code.charAt(0)));
    }

    private static Optional<String> extract(DeclarativeRule.Extraction extraction, ProbeResponse response) {
        String source;
        if (extraction.json() != null) {
            JsonNode node = response.json().map(j -> j.at(extraction.json())).orElse(null);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Optional.empty();
            }
            source = node.isValueNode() ? node.asString() : node.toString();
        } else if (extraction.header() != null) {
            Optional<String> value = response.header(extraction.header());
            if (value.isEmpty()) {
                return Optional.empty();
            }
            source = value.get();
        } else {
            source = response.bodyText();
        }
        if (extraction.regex() == null) {
            return Optional.of(source);
        }
        Matcher matcher = extraction.regex().matcher(source);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(matcher.groupCount() >= 1 && matcher.group(1) != null ? matcher.group(1) : matcher.group());
    }

    /** Reports one finding per binding whose parameter is new; true when anything was reported. */
    private boolean report(
            ScanContext context, DeclarativeRule rule, Baseline baseline, Result result, Set<String> reported) {
        boolean any = false;
        for (Map<String, String> binding : result.bindings()) {
            DeclarativeRule.Report spec = rule.report();
            String parameter = spec.parameter() == null ? null : render(spec.parameter(), binding);
            if (!reported.add(String.valueOf(parameter))) {
                continue;
            }
            PlannedOperation op = baseline == null ? null : baseline.operation();
            String method = spec.method() != null ? spec.method() : op != null ? op.method() : result.firstMethod();
            String path = spec.path() != null
                    ? render(spec.path(), binding)
                    : op != null ? op.pathTemplate() : result.firstPath();
            String explanation = spec.explanation() != null
                    ? render(spec.explanation(), binding)
                    : "The conditions of rule " + rule.id() + " held"
                            + (rule.confirm() > 1 ? ", " + rule.confirm() + " times in a row" : "") + ".";
            Evidence evidence = new Evidence(
                    result.exchanges().stream().map(Redactor::excerpt).toList(),
                    explanation + " (rule " + rule.id() + " from " + rule.source() + ")");
            // A once rule is about the target: the operation it was first seen on is an example only.
            context.report(
                    rule.once() && baseline != null
                            ? rule.info().targetWideFinding(rule.confidence(), method, path, parameter, evidence)
                            : rule.info().finding(rule.confidence(), method, path, parameter, evidence));
            any = true;
        }
        return any;
    }

    private static boolean selected(DeclarativeRule rule, Baseline baseline) {
        DeclarativeRule.Selection s = rule.selection();
        PlannedOperation op = baseline.operation();
        return (s.methods().isEmpty() || s.methods().contains(op.method()))
                && (s.paths().isEmpty()
                        || s.paths().stream()
                                .anyMatch(p -> p.matcher(op.pathTemplate()).matches()))
                && (s.authenticated() == null || s.authenticated() == op.requiresAuthentication())
                && (s.statuses().isEmpty()
                        || statusMatches(s.statuses(), baseline.response().status()))
                && (s.tags().isEmpty() || op.tags().stream().anyMatch(s.tags()::contains));
    }

    /**
     * The rendered path with what a URL cannot hold percent-encoded: spaces, quotes, braces, non-ASCII letters,
     * a {@code %} that starts no escape, and {@code #} (a fragment is never sent). {@code /}, {@code ?},
     * {@code &}, {@code =} and escapes already there stay, so a path taken from an answer ({@code {{next}}}) is
     * requested as given. A value meant as one query parameter, whatever it holds, belongs in {@code query}.
     */
    static String asUrlText(String rendered) {
        StringBuilder out = new StringBuilder(rendered.length());
        byte[] bytes = rendered.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escape = b == '%'
                    && i + 2 < bytes.length
                    && HEX.indexOf(bytes[i + 1]) >= 0
                    && HEX.indexOf(bytes[i + 2]) >= 0;
            if (escape || (b < 0x80 && URL_TEXT.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            }
        }
        return out.toString();
    }

    static String render(String template, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
