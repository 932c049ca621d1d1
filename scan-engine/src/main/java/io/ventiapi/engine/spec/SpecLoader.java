package io.ventiapi.engine.spec;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.ventiapi.engine.http.TargetClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OpenAPI 3.0/3.1 and Swagger 2.0 documents, JSON or YAML, from a file or an http(s) URL, following
 * multi-file {@code $ref}s relative to the document. Reading a document never contacts the servers it
 * describes.
 */
public final class SpecLoader {

    private static final int MAX_YAML_CODE_POINTS = 32 * 1024 * 1024;
    private static final long MAX_COPIED_FILE_BYTES = 16L * 1024 * 1024;
    private static final Pattern REF_VALUE = Pattern.compile("(\\$ref['\"]?\\s*:\\s*['\"]?)([^'\"\\s#]*)");
    private static final Pattern VERSION_FIELD =
            Pattern.compile("[\"']?(openapi|swagger)[\"']?\\s*:\\s*[\"']?([0-9][0-9.]*)");

    /**
     * Loads the document at {@code location}.
     *
     * @throws SpecRefusedException if it cannot be read or is not a usable OpenAPI/Swagger document
     */
    public LoadedSpec load(String location) {
        raiseYamlSizeLimit();
        boolean remote = location.startsWith("http://") || location.startsWith("https://");
        String resolvedLocation = location;
        if (!remote) {
            Path file = Path.of(location).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw SpecRefusedException.unreadable(location, "no such file");
            }
            if (!Files.isReadable(file)) {
                throw SpecRefusedException.unreadable(location, "permission denied");
            }
            String declared = declaredVersion(file);
            refuseUnsupportedVersion(location, declared);
            refuseRemoteRefs(file);
            resolvedLocation = file.toString();
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        // Full resolution copies every shared schema into every use site: large documents would need
        // gigabytes. Internal refs stay refs and the planner resolves them lazily.
        options.setResolveFully(false);
        options.setSafelyResolveURL(false);
        if (remote) {
            checkReachable(location);
        }
        SwaggerParseResult result;
        try {
            result = new OpenAPIParser().readLocation(resolvedLocation, null, options);
        } catch (RuntimeException e) {
            throw SpecRefusedException.invalid(location, "the parser failed: " + e.getMessage());
        }
        if (!remote && result != null && mentionsBraceInRef(result.getMessages())) {
            result = parseBraceSafeCopy(Path.of(resolvedLocation), options);
        }
        List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
        OpenAPI openApi = result == null ? null : result.getOpenAPI();
        if (openApi == null) {
            String why = messages.isEmpty()
                    ? remote
                            ? "it is not an OpenAPI 3.x or Swagger 2.0 document"
                            : syntaxError(Path.of(resolvedLocation))
                    : String.join("; ", messages.subList(0, Math.min(3, messages.size())));
            if (remote && why.contains("Unable to read location")) {
                throw SpecRefusedException.unreadable(location, why);
            }
            throw SpecRefusedException.invalid(location, why);
        }
        String declared = openApi.getOpenapi() == null ? "2.0" : openApi.getOpenapi();
        if (remote) {
            refuseUnsupportedVersion(location, declared);
        }
        return new LoadedSpec(location, declared, openApi, messages);
    }

    /** Fails with the network reason (refused, unknown host, HTTP 404) before the parser hides it. */
    private static void checkReachable(String location) {
        try (HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(location))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 400) {
                throw SpecRefusedException.unreadable(location, "the server answered HTTP " + response.statusCode());
            }
        } catch (IllegalArgumentException e) {
            throw SpecRefusedException.unreadable(location, "not a valid URL");
        } catch (IOException e) {
            String reason = TargetClient.describe(e);
            throw SpecRefusedException.unreadable(location, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpecRefusedException.unreadable(location, "interrupted");
        }
    }

    /** The YAML/JSON syntax error that made the parser give up silently, or a generic reason. */
    private static String syntaxError(Path file) {
        try {
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(file.toFile());
            return "it is not an OpenAPI 3.x or Swagger 2.0 document";
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return "it is not valid JSON or YAML: "
                    + message.lines()
                            .limit(3)
                            .map(String::trim)
                            .reduce((a, b) -> a + " " + b)
                            .orElse(message);
        }
    }

    /**
     * SnakeYAML refuses documents over 3 million code points by default; real APIs (Stripe's is 3.7 MB) are
     * larger. Raised to {@value #MAX_YAML_CODE_POINTS}, still a bound against hostile input.
     */
    private static void raiseYamlSizeLimit() {
        var options = io.swagger.v3.parser.util.DeserializationUtils.getOptions();
        if (options.getMaxYamlCodePoints() == null || options.getMaxYamlCodePoints() < MAX_YAML_CODE_POINTS) {
            options.setMaxYamlCodePoints(MAX_YAML_CODE_POINTS);
        }
    }

    private static boolean mentionsBraceInRef(List<String> messages) {
        return messages != null
                && messages.stream()
                        .anyMatch(m -> m != null && m.startsWith("Illegal character in path") && m.contains("{"));
    }

    /**
     * The parser cannot follow a {@code $ref} to a file whose name contains braces (common in multi-file
     * documents: {@code paths/users_{id}.yaml}). Parse a temporary copy of the document's folder in which such
     * names, and the refs to them, have the braces replaced.
     */
    private static SwaggerParseResult parseBraceSafeCopy(Path entry, ParseOptions options) {
        Path root = entry.getParent();
        Path copy;
        try {
            copy = Files.createTempDirectory("venti-spec-");
            try (var files = Files.walk(root)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(braceSafe(root.relativize(source).toString()));
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (Files.size(source) < MAX_COPIED_FILE_BYTES) {
                        String text = Files.readString(source);
                        Files.writeString(
                                target,
                                REF_VALUE
                                        .matcher(text)
                                        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + braceSafe(m.group(2)))));
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw SpecRefusedException.unreadable(
                    entry.toString(), "could not copy it to resolve its references: " + e.getMessage());
        }
        try {
            return new OpenAPIParser()
                    .readLocation(copy.resolve(root.relativize(entry)).toString(), null, options);
        } finally {
            deleteRecursively(copy);
        }
    }

    private static String braceSafe(String name) {
        return name.replace('{', '_').replace('}', '_');
    }

    private static void deleteRecursively(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary copy is harmless; the OS cleans its temp directory.
        }
    }

    /**
     * Refuses a document on disk whose {@code $ref}s, or those of the files it refers to, name a URL
     * (a scheme, or {@code //host}): the parser would fetch it, a request to a server other than the
     * scan's target ({@code file:} a file of this machine). References to files are followed.
     */
    private static void refuseRemoteRefs(Path entry) {
        var seen = new HashSet<Path>();
        var next = new ArrayDeque<Path>(List.of(entry));
        while (!next.isEmpty() && seen.size() < MAX_REFERENCED_FILES) {
            Path file = next.poll();
            if (!seen.add(file) || !Files.isRegularFile(file)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw SpecRefusedException.unreadable(file.toString(), e.getMessage());
            }
            Matcher refs = REF_VALUE.matcher(text);
            while (refs.find()) {
                String target = refs.group(2);
                if (target.startsWith("//") || URL_SCHEME.matcher(target).lookingAt()) {
                    throw SpecRefusedException.invalid(
                            entry.toString(),
                            "it refers to " + target + "; a scan reads no document but its own and its target's"
                                    + " answers: bundle the referenced parts into it (or beside it, as files)");
                }
                if (!target.isEmpty()) {
                    // The files it refers to are read too: their references are checked alike.
                    next.add(file.resolveSibling(target).normalize());
                }
            }
        }
    }

    /** A URL's scheme: two letters or more, so that a Windows drive ({@code C:/specs}) is none. */
    private static final Pattern URL_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

    private static final int MAX_REFERENCED_FILES = 1000;

    private static void refuseUnsupportedVersion(String location, String declared) {
        if (declared == null) {
            throw SpecRefusedException.invalid(
                    location,
                    "it declares neither an 'openapi' nor a 'swagger' version, so it is not an OpenAPI document");
        }
        if (!(declared.startsWith("2.0") || declared.startsWith("3.0") || declared.startsWith("3.1"))) {
            throw SpecRefusedException.invalid(
                    location,
                    "it declares version " + declared + "; supported versions are Swagger 2.0 and OpenAPI 3.0 and 3.1");
        }
    }

    /** The version the document declares, read from its first few kilobytes without a full parse. */
    private static String declaredVersion(Path file) {
        byte[] head = new byte[16 * 1024];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw SpecRefusedException.unreadable(file.toString(), e.getMessage());
        }
        Matcher matcher =
                VERSION_FIELD.matcher(new String(head, 0, read, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        if (matcher.find()) {
            return matcher.group(2);
        }
        // Some documents put the version field after a long info section or at the end of a JSON object.
        try {
            matcher = VERSION_FIELD.matcher(Files.readString(file).toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            throw SpecRefusedException.unreadable(file.toString(), e.getMessage());
        }
        return matcher.find() ? matcher.group(2) : null;
    }
}
