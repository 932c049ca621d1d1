package io.ventiapi.platform.spec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.converter.SwaggerConverter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.ventiapi.platform.common.StorableText;
import io.ventiapi.platform.spec.SpecOperation;
import io.ventiapi.platform.spec.SpecProblem;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Validates an OpenAPI 2.0, 3.0 or 3.1 document (JSON or YAML) with swagger-parser and lists its
 * operations. Nothing outside the text is ever read: a document whose {@code $ref}s point at
 * other files or URLs is refused (resolving them would let a tenant make the platform read local
 * files or reach internal hosts), so multi-file documents must be bundled first.
 *
 * <p>The check reads the document as Jackson does, and so must everything after it: YAML anchors
 * and aliases (which Jackson does not expand but SnakeYAML, in swagger-parser and the scan
 * engine, does, without limit) and duplicate keys (of which each reader keeps another) are
 * refused, and swagger-parser gets the very tree that was checked.
 *
 * <p>swagger-parser reports real-world quirks (an unknown keyword, a default of the wrong type)
 * the same way as fatal flaws. Missing required parts, unparseable text and a wrong top-level
 * shape refuse a document; the rest are kept as warnings, because scanners cope with them and
 * refusing them would refuse most published APIs.
 */
public final class SpecDocumentParser {

    private static final Pattern PATH_REMARK =
            Pattern.compile("(paths\\.'[^']*'(?:\\([a-z]+\\))?)\\. (.+)", Pattern.DOTALL);
    private static final Pattern PATH_WITHOUT_SLASH =
            Pattern.compile("paths\\. Resource (.+) should start with /", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("attribute (.+?) (is|are) (.+)", Pattern.DOTALL);
    private static final Pattern SUPPORTED_3X = Pattern.compile("3\\.[01](\\.\\d+.*)?");
    private static final int MAX_YAML_CODE_POINTS = 64 * 1024 * 1024;
    private static final int MAX_PROBLEMS = 50;
    /**
     * How deeply objects and arrays may nest. Published documents nest 25 levels at most (Stripe's);
     * swagger-parser's Swagger 2.0 conversion recurses through nested schemas at a cost that grows
     * with the square of their depth, and overflows its stack at a few hundred levels.
     */
    static final int MAX_NESTING = 64;
    /**
     * The most values (objects, arrays, scalars) a document may hold, and the most their depths may
     * add up to: swagger-parser's model takes hundreds of bytes per value, and its Swagger 2.0
     * conversion more for each level a schema nests. A 10 MB document within the nesting limit
     * needed gigabytes of heap. Kubernetes' document (Swagger 2.0) holds 69,000 values whose depths
     * add up to 331,000; Stripe's (3.0) 92,000 and 807,000. Each limit's document is read in 256
     * MB of heap.
     */
    static final int MAX_VALUES = 400_000;

    static final long MAX_DEPTHS = 4_000_000;
    static final int MAX_VALUES_2 = 250_000;
    static final long MAX_DEPTHS_2 = 1_500_000;
    /**
     * The most characters the locations of all values may add up to ({@code paths./pets.get.x} for
     * each value, every ancestor's name repeated): swagger-parser words a remark on each unknown
     * name with its full location, so 6,000 names under a 49,000-character path were 300 million
     * characters of remarks. Stripe's document adds up to 11 million.
     */
    static final long MAX_LOCATION_CHARS = 32_000_000;
    /**
     * Swagger 2.0: the most values the conversion to OpenAPI 3 may copy, as it copies each
     * operation's responses once for each media type it produces beyond the first, and its body
     * parameters for each it consumes. 5,000 media types listed once, with 1,000 operations, ran a
     * 256 MB heap out of memory. Kubernetes' document makes 35,000 such copies.
     */
    static final long MAX_MEDIA_TYPE_COPIES = 250_000;
    /**
     * The most characters of security scheme names all operations may list together, each
     * requirement counting one more: one document-wide requirement is listed with each operation,
     * so a long one times 20,000 operations was gigabytes of rows, and a long list of empty ones
     * a minute of checking. Real documents list a few names of a few characters each.
     */
    static final long MAX_SECURITY_CHARS = 4_000_000;
    /** The most operations a document may describe (Kubernetes' describes about 1,100). */
    static final int MAX_OPERATIONS = 20_000;
    /** The longest text of the document a problem repeats. */
    static final int MAX_QUOTED = 200;
    /** The longest path or operationId an operation is listed with. */
    static final int MAX_LISTED = 2_000;

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final ObjectMapper json = new ObjectMapper(
                    JsonFactory.builder().streamReadConstraints(nesting()).build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ObjectMapper yaml;
    private final LoaderOptions loader = new LoaderOptions();

    public SpecDocumentParser() {
        loader.setCodePointLimit(MAX_YAML_CODE_POINTS);
        yaml = new ObjectMapper(YAMLFactory.builder()
                        .loaderOptions(loader)
                        .streamReadConstraints(nesting())
                        .build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static StreamReadConstraints nesting() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build();
    }

    /** The outcome of parsing: a usable document, or the problems that make it unusable. */
    public sealed interface Result {}

    /** An acceptable document. */
    public record Parsed(
            String openapiVersion, String title, List<SpecOperation> operations, List<SpecProblem> warnings)
            implements Result {}

    /** An unacceptable document and every reason, each with its location. */
    public record Refused(List<SpecProblem> problems) implements Result {}

    public Result parse(String content) {
        JsonNode root;
        try {
            var isJson = content.stripLeading().startsWith("{");
            if (!isJson) {
                var unread = yamlOnlyJacksonReads(content);
                if (unread != null) {
                    return refused(unread);
                }
            }
            root = (isJson ? json : yaml).readTree(content);
        } catch (JsonProcessingException e) {
            var location = e.getLocation() == null
                    ? "document"
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            return refused(new SpecProblem(location, "not valid JSON or YAML: " + e.getOriginalMessage()));
        } catch (RuntimeException e) {
            return refused(new SpecProblem("document", "not valid JSON or YAML"));
        }
        if (root == null || !root.isObject()) {
            return refused(new SpecProblem("document", "an OpenAPI document is a JSON or YAML object"));
        }
        var nul = nulAt(root, "");
        if (nul != null) {
            return refused(new SpecProblem(
                    nul.isEmpty() ? "document" : nul, "holds a NUL character (U+0000), which cannot be stored"));
        }
        var swagger2 = "2.0".equals(root.path("swagger").asText(null));
        var size = sizeProblem(root, swagger2 ? MAX_VALUES_2 : MAX_VALUES, swagger2 ? MAX_DEPTHS_2 : MAX_DEPTHS);
        if (size == null && swagger2) {
            size = mediaTypeProblem(root);
        }
        if (size != null) {
            return refused(size);
        }
        var external = externalReferences(root);
        if (!external.isEmpty()) {
            return new Refused(external);
        }
        long described = operationsIn(root);
        if (described > MAX_OPERATIONS) {
            return refused(new SpecProblem(
                    "paths",
                    "the document describes " + described + " operations; at most " + MAX_OPERATIONS
                            + " are accepted"));
        }
        var swagger = root.path("swagger").asText(null);
        var openapi = root.path("openapi").asText(null);
        var options = new ParseOptions();
        // References inside the document stay references; nothing outside it is read.
        options.setResolve(false);
        SwaggerParseResult result;
        String declared;
        try {
            if (swagger != null && swagger.equals("2.0")) {
                declared = "2.0";
                // The checked tree, not the text: nothing the check did not see reaches the parser.
                result = new SwaggerConverter().readContents(json.writeValueAsString(root), null, options);
            } else if (openapi != null && SUPPORTED_3X.matcher(openapi).matches()) {
                declared = openapi;
                result = new OpenAPIV3Parser().parseJsonNode(null, root, options);
            } else if (swagger == null && openapi == null) {
                return refused(new SpecProblem(
                        "openapi",
                        "the document declares neither 'openapi' nor 'swagger': it is not an OpenAPI document"));
            } else {
                var version = swagger != null ? "swagger " + swagger : "openapi " + openapi;
                return refused(new SpecProblem(
                        swagger != null ? "swagger" : "openapi",
                        "the document declares " + version + "; supported are Swagger 2.0 and OpenAPI 3.0 and 3.1"));
            }
        } catch (RuntimeException | JsonProcessingException e) {
            return refused(new SpecProblem("document", "the OpenAPI parser could not read it"));
        } catch (StackOverflowError e) {
            return refused(new SpecProblem("document", "the OpenAPI parser could not read it: it nests too deeply"));
        }
        // Sets: a document may hold a hundred thousand of the same remark, each looked up once.
        var errors = new LinkedHashSet<SpecProblem>();
        var warnings = new LinkedHashSet<SpecProblem>();
        for (var message : result.getMessages() == null ? List.<String>of() : result.getMessages()) {
            classify(message, errors, warnings);
        }
        var model = result.getOpenAPI();
        if (model == null && errors.isEmpty()) {
            errors.add(new SpecProblem("document", "the OpenAPI parser could not read it"));
        }
        if (!errors.isEmpty()) {
            return new Refused(cap(errors));
        }
        List<SpecOperation> operations;
        try {
            operations = operations(model, warnings);
        } catch (SecurityTooLarge e) {
            return refused(new SpecProblem(
                    "security",
                    "the operations' security requirements name more than " + MAX_SECURITY_CHARS
                            + " characters of schemes in all (a document-wide requirement counts once per"
                            + " operation)"));
        }
        if (operations.isEmpty()) {
            warnings.add(new SpecProblem("paths", "the document describes no operations: a scan has nothing to test"));
        }
        var title = model.getInfo() == null ? null : model.getInfo().getTitle();
        if (title != null && title.length() > 200) {
            title = title.substring(0, 200);
        }
        return new Parsed(declared, title, operations, cap(warnings));
    }

    /**
     * Where a name or string of the tree holds a NUL character ({@code paths.'/pets'.get.summary}),
     * "" for the root, or null if none does.
     */
    private static String nulAt(JsonNode node, String location) {
        if (node.isTextual()) {
            return StorableText.holdsNul(node.textValue()) ? location : null;
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            var found = nulAt(node.get(i), location + "[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        for (var fields = node.fields(); node.isObject() && fields.hasNext(); ) {
            var field = fields.next();
            if (StorableText.holdsNul(field.getKey())) {
                return location.isEmpty() ? "a name" : location + ", a name";
            }
            var key = field.getKey().contains("/") || field.getKey().contains(".")
                    ? "'" + field.getKey() + "'"
                    : field.getKey();
            var found = nulAt(field.getValue(), location.isEmpty() ? key : location + "." + key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void classify(String message, Set<SpecProblem> errors, Set<SpecProblem> warnings) {
        var remark = PATH_REMARK.matcher(message);
        if (remark.matches()) {
            // e.g. a path parameter used in the template but not declared: scanners treat it as a string.
            warnings.add(new SpecProblem(remark.group(1), remark.group(2)));
            return;
        }
        var relative = PATH_WITHOUT_SLASH.matcher(message);
        if (relative.matches()) {
            errors.add(new SpecProblem("paths.'" + relative.group(1) + "'", "a path starts with /"));
            return;
        }
        var matcher = ATTRIBUTE.matcher(message);
        if (!matcher.matches()) {
            errors.add(new SpecProblem("document", message));
            return;
        }
        var location = matcher.group(1);
        var problem = new SpecProblem(location, matcher.group(2) + " " + matcher.group(3));
        boolean topLevel = !location.contains(".");
        if (matcher.group(3).startsWith("missing")
                || (topLevel && matcher.group(3).startsWith("not of type"))) {
            errors.add(problem);
        } else {
            warnings.add(problem);
        }
    }

    private static List<SpecOperation> operations(OpenAPI model, Set<SpecProblem> warnings) {
        var operations = new ArrayList<SpecOperation>();
        if (model.getPaths() == null) {
            return operations;
        }
        var securityChars = new long[1];
        // Read once: listed with each operation that names none of its own.
        var documentWide = security(model.getSecurity());
        long documentWideChars = securityChars(model.getSecurity());
        model.getPaths().forEach((path, item) -> {
            if (item == null) {
                // e.g. a $ref that is no string: swagger-parser leaves it out and says nothing
                warnings.add(new SpecProblem(
                        "paths.'" + path + "'", "is not a path item the parser could read: it is left out"));
                return;
            }
            item.readOperationsMap().forEach((method, operation) -> {
                var own = operation.getSecurity();
                securityChars[0] += own != null ? securityChars(own) : documentWideChars;
                if (securityChars[0] > MAX_SECURITY_CHARS) {
                    throw new SecurityTooLarge();
                }
                operations.add(new SpecOperation(
                        method.name(),
                        cut(path, MAX_LISTED),
                        cut(operation.getOperationId(), MAX_LISTED),
                        own != null ? security(own) : documentWide));
            });
        });
        return operations;
    }

    private static long securityChars(List<SecurityRequirement> requirements) {
        long chars = 0;
        if (requirements != null) {
            for (var requirement : requirements) {
                // An empty one costs too: each is read once per operation it is listed with.
                chars++;
                for (var name : requirement.keySet()) {
                    chars += name.length() + 1;
                }
            }
        }
        return chars;
    }

    /** The operations' security requirements name more than {@link #MAX_SECURITY_CHARS} characters. */
    private static final class SecurityTooLarge extends RuntimeException {
        SecurityTooLarge() {
            super(null, null, false, false);
        }
    }

    private static List<List<String>> security(List<SecurityRequirement> requirements) {
        if (requirements == null) {
            return List.of();
        }
        return requirements.stream()
                .filter(requirement -> !requirement.isEmpty())
                .map(requirement -> List.copyOf(requirement.keySet()))
                .toList();
    }

    /** How many operations the document's paths describe, counted on the checked tree. */
    private static long operationsIn(JsonNode root) {
        // swagger-parser reads every path item, not only those under paths: webhooks, reusable
        // path items, and the callbacks of any operation, at any depth.
        long count = 0;
        for (var items : List.of(
                root.path("paths"),
                root.path("webhooks"),
                root.path("components").path("pathItems"))) {
            for (var item : items) {
                count += methodsOf(item);
            }
        }
        return count + callbackOperations(root);
    }

    private static long methodsOf(JsonNode item) {
        long count = 0;
        if (item.isObject()) {
            for (var names = item.fieldNames(); names.hasNext(); ) {
                if (METHODS.contains(names.next().toLowerCase(Locale.ROOT))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The operations of every {@code callbacks} object in the tree: name, then expression, then path item. */
    private static long callbackOperations(JsonNode node) {
        long count = 0;
        if (node.isObject()) {
            for (var fields = node.properties().iterator(); fields.hasNext(); ) {
                var field = fields.next();
                if (field.getKey().equals("callbacks") && field.getValue().isObject()) {
                    for (var callback : field.getValue()) {
                        for (var item : callback) {
                            count += methodsOf(item);
                        }
                    }
                }
                count += callbackOperations(field.getValue());
            }
        } else if (node.isArray()) {
            for (var element : node) {
                count += callbackOperations(element);
            }
        }
        return count;
    }

    /**
     * What YAML holds that Jackson would not read, as a problem, else null: an anchor or alias
     * (SnakeYAML expands them, Jackson does not), or a second document in the stream (Jackson reads
     * the first only). Read as a stream of events: nothing is expanded, so an alias bomb costs no
     * more than its text.
     */
    private SpecProblem yamlOnlyJacksonReads(String content) {
        int documents = 0;
        int depth = 0;
        try {
            var events = new Yaml(loader).parse(new StringReader(content)).iterator();
            while (events.hasNext()) {
                var event = events.next();
                // Checked here too, not only by Jackson after this pass: SnakeYAML reads each level
                // of a flow collection more slowly the deeper it is, minutes for a few megabytes of '['.
                if (event instanceof CollectionStartEvent && ++depth > MAX_NESTING) {
                    return yamlProblem(event, "nests deeper than " + MAX_NESTING + " levels");
                }
                if (event instanceof CollectionEndEvent) {
                    depth--;
                }
                if (event instanceof DocumentStartEvent && ++documents > 1) {
                    // A trailing '---' with nothing after it, as some tools write, holds no second document.
                    var first = events.hasNext() ? events.next() : null;
                    if (!(first instanceof ScalarEvent scalar
                            && scalar.getValue().isEmpty()
                            && scalar.getAnchor() == null)) {
                        return yamlProblem(
                                event, "a second YAML document: upload one document, without '---' between parts");
                    }
                    continue;
                }
                if (event instanceof AliasEvent alias) {
                    return yamlProblem(
                            alias,
                            "YAML aliases (*" + quoted(alias.getAnchor()) + ") are not accepted: write the"
                                    + " repeated part out, or use a $ref");
                }
                if (event instanceof NodeEvent node && node.getAnchor() != null) {
                    return yamlProblem(
                            node,
                            "YAML anchors (&" + quoted(node.getAnchor()) + ") are not accepted: write the"
                                    + " repeated part out, or use a $ref");
                }
            }
            return null;
        } catch (YAMLException e) {
            if (documents > 1) {
                // Past a second '---': Jackson reads the first document only and would never see it.
                return new SpecProblem(
                        "document", "a second YAML document: upload one document, without '---' between parts");
            }
            // Not YAML SnakeYAML can read: Jackson's parse says where and why.
            return null;
        }
    }

    private static SpecProblem yamlProblem(Event event, String message) {
        var mark = event.getStartMark();
        return new SpecProblem(
                mark == null ? "document" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1),
                message);
    }

    /** Why the document is too large to read, else null. */
    private static SpecProblem sizeProblem(JsonNode root, int maxValues, long maxDepths) {
        long values = 0;
        long depths = 0;
        long locations = 0;
        var pending = new ArrayDeque<JsonNode>();
        var pendingDepths = new ArrayDeque<Integer>();
        var pendingLocations = new ArrayDeque<Long>();
        pending.push(root);
        pendingDepths.push(0);
        pendingLocations.push(0L);
        while (!pending.isEmpty()) {
            var node = pending.pop();
            int depth = pendingDepths.pop();
            long location = pendingLocations.pop();
            values++;
            depths += depth;
            locations += location;
            if (values > maxValues || depths > maxDepths) {
                return new SpecProblem(
                        "document",
                        "the document is too large to check: at most " + maxValues + " values, their depths"
                                + " adding up to at most " + maxDepths);
            }
            if (locations > MAX_LOCATION_CHARS) {
                return new SpecProblem(
                        "document",
                        "the document's names are too long to check: the locations of its values (each"
                                + " repeating its ancestors' names) add up to more than " + MAX_LOCATION_CHARS
                                + " characters");
            }
            if (node.isObject()) {
                for (var property : node.properties()) {
                    pending.push(property.getValue());
                    pendingDepths.push(depth + 1);
                    // The name, and the quotes and dot around it.
                    pendingLocations.push(location + property.getKey().length() + 3);
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(node.get(i));
                    pendingDepths.push(depth + 1);
                    pendingLocations.push(location + String.valueOf(i).length() + 2);
                }
            }
        }
        return null;
    }

    /**
     * Swagger 2.0: why converting the document would copy too much for its media types (see
     * {@link #MAX_MEDIA_TYPE_COPIES}), else null. An operation's own {@code produces} and
     * {@code consumes} replace the document's.
     */
    private static SpecProblem mediaTypeProblem(JsonNode root) {
        int produces = mediaTypes(root.path("produces"), 1);
        int consumes = mediaTypes(root.path("consumes"), 1);
        long copies = (produces - 1L) * valuesIn(root.path("responses"))
                + (consumes - 1L) * bodyValues(root.path("parameters"));
        for (var item : root.path("paths")) {
            long shared = bodyValues(item.path("parameters"));
            for (var method : METHODS) {
                var operation = item.path(method);
                if (operation.isObject()) {
                    copies += (mediaTypes(operation.path("produces"), produces) - 1L)
                                    * valuesIn(operation.path("responses"))
                            + (mediaTypes(operation.path("consumes"), consumes) - 1L)
                                    * (shared + bodyValues(operation.path("parameters")));
                }
            }
        }
        if (copies <= MAX_MEDIA_TYPE_COPIES) {
            return null;
        }
        return new SpecProblem(
                "document",
                "list fewer media types in 'produces' and 'consumes': converting Swagger 2.0 copies each response"
                        + " once per produced type, each body once per consumed type (" + copies + " values; at most "
                        + MAX_MEDIA_TYPE_COPIES + ")");
    }

    private static int mediaTypes(JsonNode list, int otherwise) {
        return list.isArray() && !list.isEmpty() ? list.size() : otherwise;
    }

    /** The values of the body and form parameters of a parameter list (or of a map of them). */
    private static long bodyValues(JsonNode parameters) {
        long values = 0;
        for (var parameter : parameters) {
            var in = parameter.path("in").asText("");
            if (in.equals("body") || in.equals("formData")) {
                values += valuesIn(parameter);
            }
        }
        return values;
    }

    private static long valuesIn(JsonNode node) {
        long values = node.isMissingNode() ? 0 : 1;
        for (var child : node) {
            values += valuesIn(child);
        }
        return values;
    }

    /** Every {@code $ref} that leaves the document, by its JSON pointer. */
    private static List<SpecProblem> externalReferences(JsonNode root) {
        var found = new ArrayList<SpecProblem>();
        collectExternal(root, "", found);
        return cap(found);
    }

    private static void collectExternal(JsonNode node, String pointer, List<SpecProblem> found) {
        if (node.isObject()) {
            var ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().isBlank()) {
                found.add(new SpecProblem(
                        pointer + "/$ref",
                        "is empty (in YAML an unquoted # starts a comment: quote the reference, '#/components/…')"));
            } else if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
                found.add(new SpecProblem(
                        pointer + "/$ref",
                        "refers to '" + ref.asText() + "' outside the document; upload a bundled single-file"
                                + " document (e.g. 'redocly bundle' or 'swagger-cli bundle')"));
            }
            node.properties()
                    .forEach(entry -> collectExternal(entry.getValue(), pointer + "/" + escape(entry.getKey()), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectExternal(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static Refused refused(SpecProblem problem) {
        return new Refused(cap(List.of(problem)));
    }

    /**
     * At most {@value #MAX_PROBLEMS} problems, each repeating at most {@value #MAX_QUOTED}
     * characters of location and of message: both quote the document, which may hold a key, a
     * version or a reference megabytes long.
     */
    private static List<SpecProblem> cap(Collection<SpecProblem> problems) {
        var capped = new ArrayList<SpecProblem>();
        for (var problem : problems) {
            if (capped.size() == MAX_PROBLEMS) {
                capped.add(new SpecProblem("document", (problems.size() - MAX_PROBLEMS) + " more problems not listed"));
                break;
            }
            capped.add(new SpecProblem(quoted(problem.location()), quoted(problem.message())));
        }
        return List.copyOf(capped);
    }

    /** {@code text} cut to {@value #MAX_QUOTED} characters, marked when it was. */
    private static String quoted(String text) {
        return cut(text, MAX_QUOTED);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
