package io.ventiapi.engine.rules;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads declarative rules from YAML (one or more documents per file, separated by {@code ---}) and refuses
 * anything it cannot use with a {@link RuleFileException} naming the file, the line and the problem: unknown or
 * missing keys, wrong types, unknown severities or categories, invalid regular expressions. The format is
 * documented in docs/engine/rules.md.
 */
public final class RuleLoader {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern STATUS = Pattern.compile("[1-5]([0-9]{2}|xx)");
    private static final String BUNDLED_INDEX = "/rules/index.txt";

    private RuleLoader() {}

    /** The rules that ship with the engine (simple built-in checks written as rules). */
    public static List<DeclarativeRule> bundled() {
        List<DeclarativeRule> rules = new ArrayList<>();
        for (String name : resource(BUNDLED_INDEX).lines().map(String::trim).toList()) {
            if (!name.isEmpty() && !name.startsWith("#")) {
                rules.addAll(parse("rules/" + name, resource("/rules/" + name)));
            }
        }
        return rules;
    }

    /**
     * Rules from a file, or from every {@code *.yaml} and {@code *.yml} file of a directory (sorted by name).
     *
     * @throws RuleFileException for the first file that is unreadable or invalid
     */
    public static List<DeclarativeRule> load(Path fileOrDirectory) {
        List<Path> files;
        if (Files.isDirectory(fileOrDirectory)) {
            try (Stream<Path> list = Files.list(fileOrDirectory)) {
                files = list.filter(p ->
                                p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new RuleFileException(
                        fileOrDirectory.toString(), 0, "cannot list the directory: " + e.getMessage());
            }
        } else {
            files = List.of(fileOrDirectory);
        }
        List<DeclarativeRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuleFileException(file.toString(), 0, "cannot read the file: " + e.getMessage());
            }
            for (DeclarativeRule rule : parse(file.toString(), text)) {
                if (!ids.add(rule.id())) {
                    throw new RuleFileException(file.toString(), 0, "rule id '" + rule.id() + "' is used twice");
                }
                rules.add(rule);
            }
        }
        return rules;
    }

    /**
     * Rules from YAML text; {@code source} names it in errors (a file name, or e.g. a tenant's rule name).
     *
     * @throws RuleFileException when the text is not a valid rule document
     */
    public static List<DeclarativeRule> parse(String source, String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        List<DeclarativeRule> rules = new ArrayList<>();
        try {
            for (Node document : new Yaml(options).composeAll(new StringReader(yaml))) {
                if (document != null) {
                    rules.add(new Reader(source).rule(document));
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new RuleFileException(source, line, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new RuleFileException(source, 0, "not valid YAML: " + e.getMessage());
        }
        if (rules.isEmpty()) {
            throw new RuleFileException(source, 1, "no rule in the file");
        }
        return rules;
    }

    private static String resource(String name) {
        try (InputStream in = RuleLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled rule resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one document, failing with the line of the offending node. */
    private record Reader(String source) {

        DeclarativeRule rule(Node root) {
            Map<String, NodeTuple> top = mapping(
                    root,
                    "a rule",
                    Set.of("id", "info", "scope", "select", "steps", "confirm", "once", "report", "confidence"));
            String id = text(required(root, top, "id"), "id");
            if (!ID.matcher(id).matches()) {
                throw error(
                        top.get("id").getValueNode(),
                        "id '" + id + "' must be lower-case letters, digits, '.', '_' and '-'");
            }
            Node infoNode = required(root, top, "info");
            Map<String, NodeTuple> info = mapping(
                    infoNode, "info", Set.of("title", "severity", "category", "cwe", "description", "remediation"));
            Severity severity = enumValue(required(infoNode, info, "severity"), "severity", Severity.class);
            OwaspCategory category = enumValue(required(infoNode, info, "category"), "category", OwaspCategory.class);
            int cwe = integer(required(infoNode, info, "cwe"), "cwe", 1, 99_999);
            String title = text(required(infoNode, info, "title"), "title");
            String remediation = text(required(infoNode, info, "remediation"), "remediation");
            String description = info.containsKey("description")
                    ? text(info.get("description").getValueNode(), "description")
                    : title;
            Rule ruleInfo = new Rule(id, title, category, cwe, severity, description, remediation);

            DeclarativeRule.Scope scope = top.containsKey("scope")
                    ? enumValue(top.get("scope").getValueNode(), "scope", DeclarativeRule.Scope.class)
                    : DeclarativeRule.Scope.OPERATION;
            DeclarativeRule.Selection selection = top.containsKey("select")
                    ? selection(top.get("select").getValueNode())
                    : new DeclarativeRule.Selection(List.of(), List.of(), null, List.of(), List.of());
            if (scope == DeclarativeRule.Scope.TARGET && top.containsKey("select")) {
                throw error(
                        top.get("select").getKeyNode(),
                        "'select' applies to operation rules; this rule has scope: target");
            }
            Node stepsNode = required(root, top, "steps");
            List<DeclarativeRule.Step> steps = new ArrayList<>();
            for (Node stepNode : sequence(stepsNode, "steps")) {
                DeclarativeRule.Step step = step(stepNode);
                if (scope == DeclarativeRule.Scope.TARGET && step.request().isEmpty()) {
                    throw error(
                            stepNode,
                            "a step of a target rule needs a 'request' (there is no operation answer to inspect)");
                }
                steps.add(step);
            }
            if (steps.isEmpty()) {
                throw error(stepsNode, "'steps' needs at least one step");
            }
            int confirm =
                    top.containsKey("confirm") ? integer(top.get("confirm").getValueNode(), "confirm", 1, 5) : 1;
            boolean once = top.containsKey("once") && bool(top.get("once").getValueNode(), "once");
            DeclarativeRule.Report report = top.containsKey("report")
                    ? report(top.get("report").getValueNode())
                    : new DeclarativeRule.Report(null, null, null, null);
            Confidence confidence = top.containsKey("confidence")
                    ? enumValue(top.get("confidence").getValueNode(), "confidence", Confidence.class)
                    : confirm > 1 ? Confidence.CONFIRMED : Confidence.FIRM;
            return new DeclarativeRule(ruleInfo, source, scope, selection, steps, confirm, once, report, confidence);
        }

        DeclarativeRule.Selection selection(Node node) {
            Map<String, NodeTuple> map =
                    mapping(node, "select", Set.of("methods", "paths", "authenticated", "status", "tags"));
            List<String> methods = map.containsKey("methods")
                    ? texts(map.get("methods").getValueNode(), "methods").stream()
                            .map(m -> m.toUpperCase(Locale.ROOT))
                            .toList()
                    : List.of();
            List<Pattern> paths = new ArrayList<>();
            if (map.containsKey("paths")) {
                texts(map.get("paths").getValueNode(), "paths").forEach(glob -> paths.add(glob(glob)));
            }
            Boolean authenticated = map.containsKey("authenticated")
                    ? bool(map.get("authenticated").getValueNode(), "authenticated")
                    : null;
            List<String> statuses =
                    map.containsKey("status") ? statuses(map.get("status").getValueNode()) : List.of();
            List<String> tags = map.containsKey("tags") ? texts(map.get("tags").getValueNode(), "tags") : List.of();
            return new DeclarativeRule.Selection(methods, paths, authenticated, statuses, tags);
        }

        DeclarativeRule.Step step(Node node) {
            Map<String, NodeTuple> map = mapping(node, "a step", Set.of("request", "match", "extract"));
            Optional<DeclarativeRule.RequestSpec> request = map.containsKey("request")
                    ? Optional.of(request(map.get("request").getValueNode()))
                    : Optional.empty();
            List<DeclarativeRule.Condition> match = new ArrayList<>();
            if (map.containsKey("match")) {
                for (Node condition : sequence(map.get("match").getValueNode(), "match")) {
                    match.add(condition(condition));
                }
            }
            Map<String, DeclarativeRule.Extraction> extract = new LinkedHashMap<>();
            if (map.containsKey("extract")) {
                Map<String, NodeTuple> extractions = mapping(map.get("extract").getValueNode(), "extract", null);
                extractions.forEach((name, tuple) -> extract.put(name, extraction(tuple.getValueNode())));
            }
            if (match.isEmpty() && extract.isEmpty()) {
                throw error(node, "a step needs 'match' or 'extract' (otherwise it proves nothing)");
            }
            return new DeclarativeRule.Step(request, match, extract);
        }

        DeclarativeRule.RequestSpec request(Node node) {
            Map<String, NodeTuple> map = mapping(
                    node,
                    "request",
                    Set.of("method", "path", "query", "headers", "remove-headers", "body", "credentials"));
            String method = map.containsKey("method")
                    ? text(map.get("method").getValueNode(), "method").toUpperCase(Locale.ROOT)
                    : null;
            if (method != null && !method.matches("[A-Z]{3,10}")) {
                throw error(map.get("method").getValueNode(), "method '" + method + "' is not an HTTP method");
            }
            String path = map.containsKey("path") ? text(map.get("path").getValueNode(), "path") : null;
            if (path != null && !path.startsWith("/")) {
                throw error(
                        map.get("path").getValueNode(),
                        "path must start with '/' (it is relative to the target; requests never leave its origin)");
            }
            String credentials = map.containsKey("credentials")
                    ? text(map.get("credentials").getValueNode(), "credentials")
                    : "operation";
            if (!credentials.equals("none") && !credentials.equals("operation")) {
                throw error(map.get("credentials").getValueNode(), "credentials must be 'none' or 'operation'");
            }
            return new DeclarativeRule.RequestSpec(
                    method,
                    path,
                    map.containsKey("query") ? stringMap(map.get("query").getValueNode(), "query") : Map.of(),
                    map.containsKey("headers") ? stringMap(map.get("headers").getValueNode(), "headers") : Map.of(),
                    map.containsKey("remove-headers")
                            ? texts(map.get("remove-headers").getValueNode(), "remove-headers")
                            : List.of(),
                    map.containsKey("body") ? text(map.get("body").getValueNode(), "body") : null,
                    credentials.equals("none"));
        }

        DeclarativeRule.Condition condition(Node node) {
            Map<String, NodeTuple> map = mapping(
                    node,
                    "a condition",
                    Set.of(
                            "status",
                            "header",
                            "regex",
                            "not-regex",
                            "exists",
                            "body",
                            "json",
                            "equals",
                            "time-ms",
                            "any"));
            if (map.containsKey("status")) {
                only(map, node, "status");
                return new DeclarativeRule.StatusIs(statuses(map.get("status").getValueNode()));
            }
            if (map.containsKey("header")) {
                only(map, node, "header", "regex", "not-regex", "exists");
                Node names = map.get("header").getValueNode();
                List<String> headerNames =
                        names instanceof SequenceNode ? texts(names, "header") : List.of(text(names, "header"));
                Pattern regex =
                        map.containsKey("regex") ? regex(map.get("regex").getValueNode()) : null;
                Pattern notRegex = map.containsKey("not-regex")
                        ? regex(map.get("not-regex").getValueNode())
                        : null;
                Boolean exists =
                        map.containsKey("exists") ? bool(map.get("exists").getValueNode(), "exists") : null;
                if (regex == null && notRegex == null && exists == null) {
                    throw error(node, "a header condition needs regex, not-regex or exists");
                }
                return new DeclarativeRule.HeaderIs(headerNames, regex, notRegex, exists);
            }
            if (map.containsKey("body")) {
                only(map, node, "body");
                Node bodyNode = map.get("body").getValueNode();
                Map<String, NodeTuple> body = mapping(
                        bodyNode, "body", Set.of("contains", "not-contains", "regex", "not-regex", "min-length"));
                if (body.isEmpty()) {
                    throw error(
                            bodyNode, "a body condition needs contains, not-contains, regex, not-regex or min-length");
                }
                return new DeclarativeRule.BodyIs(
                        body.containsKey("contains") ? text(body.get("contains").getValueNode(), "contains") : null,
                        body.containsKey("not-contains")
                                ? text(body.get("not-contains").getValueNode(), "not-contains")
                                : null,
                        body.containsKey("regex") ? regex(body.get("regex").getValueNode()) : null,
                        body.containsKey("not-regex")
                                ? regex(body.get("not-regex").getValueNode())
                                : null,
                        body.containsKey("min-length")
                                ? integer(body.get("min-length").getValueNode(), "min-length", 0, Integer.MAX_VALUE)
                                : null);
            }
            if (map.containsKey("json")) {
                only(map, node, "json", "exists", "equals", "regex");
                String pointer = text(map.get("json").getValueNode(), "json");
                if (!pointer.startsWith("/")) {
                    throw error(map.get("json").getValueNode(), "json must be a JSON pointer such as /data/token");
                }
                return new DeclarativeRule.JsonIs(
                        pointer,
                        map.containsKey("exists") ? bool(map.get("exists").getValueNode(), "exists") : null,
                        map.containsKey("equals") ? text(map.get("equals").getValueNode(), "equals") : null,
                        map.containsKey("regex") ? regex(map.get("regex").getValueNode()) : null);
            }
            if (map.containsKey("time-ms")) {
                only(map, node, "time-ms");
                Node timeNode = map.get("time-ms").getValueNode();
                Map<String, NodeTuple> time = mapping(timeNode, "time-ms", Set.of("min", "max"));
                if (time.isEmpty()) {
                    throw error(timeNode, "time-ms needs min or max");
                }
                return new DeclarativeRule.TimeIs(
                        time.containsKey("min")
                                ? (long) integer(time.get("min").getValueNode(), "min", 0, 600_000)
                                : null,
                        time.containsKey("max")
                                ? (long) integer(time.get("max").getValueNode(), "max", 0, 600_000)
                                : null);
            }
            if (map.containsKey("any")) {
                only(map, node, "any");
                List<DeclarativeRule.Condition> any = new ArrayList<>();
                for (Node child : sequence(map.get("any").getValueNode(), "any")) {
                    any.add(condition(child));
                }
                return new DeclarativeRule.AnyOf(any);
            }
            throw error(node, "a condition needs one of status, header, body, json, time-ms or any");
        }

        DeclarativeRule.Extraction extraction(Node node) {
            Map<String, NodeTuple> map = mapping(node, "an extraction", Set.of("json", "header", "regex"));
            if (map.isEmpty()) {
                throw error(node, "an extraction needs json, header or regex");
            }
            if (map.containsKey("json") && map.containsKey("header")) {
                throw error(node, "an extraction takes json or header, not both");
            }
            return new DeclarativeRule.Extraction(
                    map.containsKey("json") ? text(map.get("json").getValueNode(), "json") : null,
                    map.containsKey("header") ? text(map.get("header").getValueNode(), "header") : null,
                    map.containsKey("regex") ? regex(map.get("regex").getValueNode()) : null);
        }

        DeclarativeRule.Report report(Node node) {
            Map<String, NodeTuple> map = mapping(node, "report", Set.of("method", "path", "parameter", "explanation"));
            return new DeclarativeRule.Report(
                    map.containsKey("method")
                            ? text(map.get("method").getValueNode(), "method").toUpperCase(Locale.ROOT)
                            : null,
                    map.containsKey("path") ? text(map.get("path").getValueNode(), "path") : null,
                    map.containsKey("parameter") ? text(map.get("parameter").getValueNode(), "parameter") : null,
                    map.containsKey("explanation") ? text(map.get("explanation").getValueNode(), "explanation") : null);
        }

        // --- typed access with line numbers ---

        Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed) {
            if (!(node instanceof MappingNode mapping)) {
                throw error(node, what + " must be a mapping (key: value lines)");
            }
            Map<String, NodeTuple> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = text(tuple.getKeyNode(), "a key");
                if (allowed != null && !allowed.contains(key)) {
                    throw error(
                            tuple.getKeyNode(),
                            "unknown key '" + key + "' in " + what + " (expected one of "
                                    + allowed.stream().sorted().toList() + ")");
                }
                map.put(key, tuple);
            }
            return map;
        }

        void only(Map<String, NodeTuple> map, Node node, String... allowed) {
            Set<String> keys = new HashSet<>(map.keySet());
            List.of(allowed).forEach(keys::remove);
            if (!keys.isEmpty()) {
                throw error(
                        map.get(keys.iterator().next()).getKeyNode(),
                        "'" + keys.iterator().next() + "' does not go with '" + allowed[0]
                                + "' in one condition (use separate list items)");
            }
        }

        Node required(Node parent, Map<String, NodeTuple> map, String key) {
            NodeTuple tuple = map.get(key);
            if (tuple == null) {
                throw error(parent, "missing required key '" + key + "'");
            }
            return tuple.getValueNode();
        }

        List<Node> sequence(Node node, String what) {
            if (!(node instanceof SequenceNode sequence)) {
                throw error(node, what + " must be a list (lines starting with '- ')");
            }
            return sequence.getValue();
        }

        String text(Node node, String what) {
            if (!(node instanceof ScalarNode scalar)) {
                throw error(node, what + " must be a single value, not a list or mapping");
            }
            return scalar.getValue();
        }

        List<String> texts(Node node, String what) {
            if (node instanceof ScalarNode) {
                return List.of(text(node, what));
            }
            return sequence(node, what).stream().map(n -> text(n, what)).toList();
        }

        Map<String, String> stringMap(Node node, String what) {
            Map<String, String> values = new LinkedHashMap<>();
            mapping(node, what, null).forEach((k, v) -> values.put(k, text(v.getValueNode(), what + "." + k)));
            return values;
        }

        List<String> statuses(Node node) {
            List<String> statuses = new ArrayList<>();
            for (String status : texts(node, "status")) {
                String s = status.toLowerCase(Locale.ROOT);
                if (!STATUS.matcher(s).matches()) {
                    throw error(node, "status '" + status + "' must be a code such as 200 or a class such as 2xx");
                }
                statuses.add(s);
            }
            return statuses;
        }

        int integer(Node node, String what, int min, int max) {
            String value = text(node, what);
            try {
                int n = Integer.parseInt(value.trim());
                if (n < min || n > max) {
                    throw error(node, what + " must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(node, what + " must be a whole number, got '" + value + "'");
            }
        }

        boolean bool(Node node, String what) {
            String value = text(node, what).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw error(node, what + " must be true or false, got '" + value + "'");
            };
        }

        <E extends Enum<E>> E enumValue(Node node, String what, Class<E> type) {
            String value = text(node, what);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value.trim())) {
                    return constant;
                }
            }
            List<String> names =
                    Stream.of(type.getEnumConstants()).map(Enum::name).toList();
            throw error(node, "unknown " + what + " '" + value + "' (expected one of " + names + ")");
        }

        Pattern regex(Node node) {
            String value = text(node, "regex");
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw error(node, "invalid regular expression '" + value + "': " + e.getDescription());
            }
        }

        Pattern glob(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString());
        }

        RuleFileException error(Node node, String problem) {
            int line = node == null || node.getStartMark() == null
                    ? 0
                    : node.getStartMark().getLine() + 1;
            return new RuleFileException(source, line, problem);
        }
    }
}
