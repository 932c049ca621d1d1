package io.ventiapi.platform.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ventiapi.platform.spec.SpecOperation;
import io.ventiapi.platform.spec.SpecProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecDocumentParserTest {

    /** The shared corpus of real third-party documents, beside the repository (as the scan engine's tests find it). */
    static final Path CORPUS = System.getProperty("venti.corpus.dir") != null
            ? Path.of(System.getProperty("venti.corpus.dir"))
            : Path.of("..", "..", "shared", "openapi-corpus").toAbsolutePath().normalize();

    private final SpecDocumentParser parser = new SpecDocumentParser();

    @Test
    void listsEveryOperationWithItsMethodPathOperationIdAndSecurity() {
        var result = parser.parse("""
                openapi: 3.1.0
                info: {title: Shop, version: '1'}
                security: [{apiKey: []}]
                paths:
                  /orders/{id}:
                    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                    get:
                      operationId: getOrder
                      responses: {'200': {description: ok}}
                    delete:
                      security: [{oauth: [orders:write]}, {apiKey: [], mtls: []}]
                      responses: {'204': {description: gone}}
                  /health:
                    get:
                      security: []
                      responses: {'200': {description: ok}}
                """);

        assertThat(result).isInstanceOfSatisfying(SpecDocumentParser.Parsed.class, parsed -> {
            assertThat(parsed.openapiVersion()).isEqualTo("3.1.0");
            assertThat(parsed.title()).isEqualTo("Shop");
            assertThat(parsed.operations())
                    .containsExactly(
                            new SpecOperation("GET", "/orders/{id}", "getOrder", List.of(List.of("apiKey"))),
                            new SpecOperation(
                                    "DELETE",
                                    "/orders/{id}",
                                    null,
                                    List.of(List.of("oauth"), List.of("apiKey", "mtls"))),
                            new SpecOperation("GET", "/health", null, List.of()));
        });
    }

    @Test
    void aDocumentMissingRequiredPartsIsRefusedWithEachProblemAndWhereItIs() {
        var result = parser.parse("""
                openapi: 3.0.3
                info:
                  title: Broken
                paths:
                  /pets:
                    get:
                      summary: no responses
                """);

        assertThat(result)
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems())
                                .containsExactlyInAnyOrder(
                                        new SpecProblem("info.version", "is missing"),
                                        new SpecProblem("paths.'/pets'(get).responses", "is missing")));
    }

    @Test
    void aPathWithoutItsLeadingSlashIsRefusedWithWhereItIs() {
        var result = parser.parse("""
                openapi: 3.0.3
                info: {title: Relative, version: '1'}
                paths:
                  pets:
                    get:
                      responses: {'200': {description: ok}}
                """);

        assertThat(result)
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems())
                                .containsExactly(new SpecProblem("paths.'pets'", "a path starts with /")));
    }

    @Test
    void aNulCharacterWrittenAsAnEscapeIsRefusedWithWhereItIs() {
        var json = parser.parse("""
                {"openapi": "3.0.3", "info": {"title": "Shop\\u0000", "version": "1"}, "paths": {}}""");
        var yaml = parser.parse("""
                openapi: 3.0.3
                info: {title: Shop, version: '1'}
                paths:
                  /pets:
                    get:
                      operationId: "list\\0pets"
                      responses: {'200': {description: ok}}
                """);

        assertThat(json)
                .isEqualTo(new SpecDocumentParser.Refused(List.of(
                        new SpecProblem("info.title", "holds a NUL character (U+0000), which cannot be stored"))));
        assertThat(yaml)
                .isEqualTo(new SpecDocumentParser.Refused(List.of(new SpecProblem(
                        "paths.'/pets'.get.operationId", "holds a NUL character (U+0000), which cannot be stored"))));
    }

    @Test
    void quirksThatScannersCopeWithAreKeptAsLocatedWarnings() {
        var result = parser.parse("""
                openapi: 3.0.3
                info: {title: Quirky, version: '1'}
                paths:
                  /pets/{petId}:
                    get:
                      responses: {'200': {description: ok}}
                """);

        assertThat(result)
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Parsed.class,
                        parsed -> assertThat(parsed.warnings()).singleElement().satisfies(warning -> {
                            assertThat(warning.location()).isEqualTo("paths.'/pets/{petId}'");
                            assertThat(warning.message()).contains("petId");
                        }));
    }

    @Test
    void unparseableTextIsRefusedWithItsLineAndColumn() {
        var result = parser.parse("openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a: [\n");

        assertThat(result).isInstanceOfSatisfying(SpecDocumentParser.Refused.class, refused -> {
            assertThat(refused.problems()).hasSize(1);
            assertThat(refused.problems().getFirst().location()).matches("line \\d+, column \\d+");
            assertThat(refused.problems().getFirst().message()).startsWith("not valid JSON or YAML");
        });
    }

    @Test
    void unsupportedVersionsAndNonOpenApiDocumentsAreRefusedSayingWhy() {
        assertRefused("openapi: 3.2.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "supported are Swagger 2.0");
        assertRefused("swagger: '1.2'\n", "supported are Swagger 2.0");
        assertRefused("{\"name\": \"not an API\"}", "neither 'openapi' nor 'swagger'");
        assertRefused("- a\n- list\n", "JSON or YAML object");
    }

    @Test
    void referencesOutsideTheDocumentAreRefusedAndNeverFollowed() {
        var result = parser.parse("""
                openapi: 3.0.0
                info: {title: x, version: '1'}
                paths:
                  /a:
                    $ref: 'http://169.254.169.254/latest/meta-data/'
                  /b:
                    $ref: '../../etc/passwd'
                """);

        assertThat(result)
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems())
                                .extracting(SpecProblem::location)
                                .containsExactly("/paths/~1a/$ref", "/paths/~1b/$ref"));
    }

    @Test
    void aReferenceHiddenBehindADuplicateKeyAndAnAliasIsRefused() {
        // Jackson kept the second x-h and read *e as the text "e"; SnakeYAML, in the parser and the
        // scan engine, expanded the first x-h's $ref into the schema.
        var hidden = """
                openapi: 3.0.0
                info: {title: x, version: '1'}
                x-h: &e {$ref: 'http://169.254.169.254/latest/meta-data/'}
                x-h: 1
                paths: {}
                components: {schemas: {S: *e}}
                """;
        assertRefused(hidden, "YAML anchors (&e)");
        assertRefused(hidden.replace("&e ", "").replace("*e", "{}"), "Duplicate field 'x-h'");
        assertRefused("""
                {"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}, "paths": {"/a": {}}}""", "Duplicate field 'paths'");
    }

    @Test
    void aYamlAliasBombIsRefusedBeforeAnythingExpandsIt() {
        var bomb = new StringBuilder("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n");
        bomb.append("x0: &l0 [").append("1,".repeat(999)).append("1]\n");
        for (int level = 1; level <= 9; level++) {
            bomb.append("x").append(level).append(": &l").append(level).append(" [");
            bomb.append(("*l" + (level - 1) + ",").repeat(8))
                    .append("*l")
                    .append(level - 1)
                    .append("]\n");
        }

        assertThat(parser.parse(bomb.toString()))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems().getFirst()).satisfies(problem -> {
                            assertThat(problem.location()).isEqualTo("line 4, column 5");
                            assertThat(problem.message()).contains("anchors (&l0)");
                        }));
    }

    static Stream<Path> corpus() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the shared OpenAPI corpus is not beside the repository");
        try (var files = Files.list(CORPUS)) {
            var top = files.filter(file ->
                            file.toString().endsWith(".json") || file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
            return Stream.concat(
                    top.stream(),
                    Stream.of(
                            CORPUS.resolve("oai-petstore-separate-v2/spec/swagger.yaml"),
                            CORPUS.resolve("redocly-openapi-starter/openapi.yaml"),
                            CORPUS.resolve("digitalocean-public-v2/DigitalOcean-public.v2.yaml")));
        }
    }

    /** Every real document is either accepted, with its operations, or refused with located reasons. */
    @ParameterizedTest
    @MethodSource("corpus")
    void everyCorpusDocumentIsAcceptedOrRefusedWithAReason(Path document) throws IOException {
        var result = parser.parse(Files.readString(document));

        switch (result) {
            case SpecDocumentParser.Parsed parsed -> {
                assertThat(parsed.openapiVersion()).matches("2\\.0|3\\.[01](\\.\\d+)?");
                parsed.operations().forEach(operation -> {
                    assertThat(operation.method()).matches("[A-Z]+");
                    assertThat(operation.path()).startsWith("/");
                });
            }
            case SpecDocumentParser.Refused refused -> {
                assertThat(refused.problems()).isNotEmpty();
                refused.problems().forEach(problem -> {
                    assertThat(problem.location()).isNotBlank();
                    assertThat(problem.message()).isNotBlank();
                });
            }
        }
    }

    @Test
    void theCorpusOutcomesAreTheExpectedOnes() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the shared OpenAPI corpus is not beside the repository");
        assertThat(parse("swaggerio-petstore3-v3.0.yaml"))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Parsed.class,
                        parsed -> assertThat(parsed.operations()).hasSize(19));
        assertThat(parse("kubernetes-api.json"))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Parsed.class,
                        parsed -> assertThat(parsed.openapiVersion()).isEqualTo("2.0"));
        assertThat(parse("stripe-api-2023.yaml")).isInstanceOf(SpecDocumentParser.Parsed.class);
        assertThat(parse("openai-api.yaml"))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Parsed.class,
                        parsed -> assertThat(parsed.warnings()).isNotEmpty());
        assertThat(parse("redocly-cafe-v3.2.yaml")).isInstanceOf(SpecDocumentParser.Refused.class);
        assertThat(parse("oai-non-oauth-scopes-v3.1.json")).isInstanceOf(SpecDocumentParser.Refused.class);
        assertThat(parse("digitalocean-public-v2/DigitalOcean-public.v2.yaml"))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems().getFirst().message())
                                .contains("outside the document"));
    }

    @Test
    void aDocumentNestedDeeperThanAnyPublishedOneIsRefusedBeforeTheConverterRecursesThroughIt() {
        // Swagger 2.0 conversion overflowed its stack at some 740 levels of items: a server error.
        var items = new StringBuilder("{\"type\": \"string\"}");
        for (int i = 0; i < 990; i++) {
            items = new StringBuilder("{\"type\": \"array\", \"items\": ")
                    .append(items)
                    .append('}');
        }
        var deep = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {},"
                + " \"definitions\": {\"Deep\": " + items + "}}";

        assertRefused(deep, "not valid JSON or YAML");
        assertThat(((SpecDocumentParser.Refused) parser.parse(deep))
                        .problems()
                        .getFirst()
                        .message())
                .contains("nesting depth");
        var yaml = "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\ndefinitions:\n  Deep: "
                + items.toString().replace("\"", "");
        assertThat(parser.parse(yaml)).isInstanceOf(SpecDocumentParser.Refused.class);
    }

    @Test
    void aPathItemThatIsNoObjectIsAWarningNotAServerError() {
        var result = parser.parse("""
                openapi: 3.0.3
                info: {title: x, version: '1'}
                paths:
                  /a: {$ref: 5}
                  /b:
                    get: {responses: {'200': {description: ok}}}
                """);

        assertThat(result).isInstanceOfSatisfying(SpecDocumentParser.Parsed.class, parsed -> {
            assertThat(parsed.operations()).extracting(SpecOperation::path).containsExactly("/b");
            assertThat(parsed.warnings()).as("said").isNotEmpty();
        });
    }

    @Test
    void moreOperationsThanAnyPublishedDocumentDescribesAreRefused() {
        var paths = new StringBuilder();
        for (int i = 0; i <= SpecDocumentParser.MAX_OPERATIONS; i++) {
            paths.append("\"/p").append(i).append("\": {\"get\": {\"responses\": {}}},");
        }
        var many = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {"
                + paths.substring(0, paths.length() - 1) + "}}";

        assertRefused(many, "describes 20001 operations; at most 20000 are accepted");

        // Read by the parser as well: webhooks and the callbacks of operations.
        var webhooks = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"webhooks\": {"
                + paths.substring(0, paths.length() - 1).replace("\"/p", "\"w") + "}}";
        assertRefused(webhooks, "describes 20001 operations");
        var callbacks = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {"
                + "\"/a\": {\"post\": {\"responses\": {}, \"callbacks\": {\"c\": {"
                + paths.substring(0, paths.length() - 1) + "}}}}}}";
        assertRefused(callbacks, "describes 20002 operations");
    }

    @Test
    void problemsQuoteTheDocumentShortly() {
        var longRef = "http://x.test/" + "r".repeat(100_000);
        var result = parser.parse("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n"
                + "  schemas:\n    A: {$ref: '" + longRef + "'}\n");
        var version = parser.parse("{\"openapi\": \"" + "9".repeat(100_000) + "\"}");

        for (var refused : List.of(result, version)) {
            assertThat(refused)
                    .isInstanceOfSatisfying(
                            SpecDocumentParser.Refused.class,
                            r -> assertThat(r.problems())
                                    .allSatisfy(problem -> assertThat(
                                                    problem.location().length()
                                                            + problem.message().length())
                                            .isLessThan(2 * SpecDocumentParser.MAX_QUOTED + 10)));
        }
    }

    @Test
    void whatJacksonWouldNotReadIsRefusedNotStoredUnchecked() {
        var valid = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}";
        assertThat(parser.parse(valid + " {\"$ref\": \"http://169.254.169.254/\"}"))
                .isInstanceOf(SpecDocumentParser.Refused.class);
        assertRefused(
                "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n---\nx: {$ref: 'http://10.0.0.1/'}\n",
                "a second YAML document");
        // One document, marked as such at its start or end, is one document.
        assertThat(parser.parse("---\nopenapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n---\n"))
                .isInstanceOf(SpecDocumentParser.Parsed.class);
    }

    @Test
    @Timeout(60) // SnakeYAML took three minutes over 2.5 MB of '[' before this document was refused
    void yamlNestedTooDeeplyIsRefusedAtTheDepthItCrossesNotAfterReadingItAll() {
        var deep = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx: " + "[".repeat(2_500_000);

        assertThat(parser.parse(deep)).isInstanceOfSatisfying(SpecDocumentParser.Refused.class, refused -> {
            var problem = refused.problems().getFirst();
            assertThat(problem.message()).isEqualTo("nests deeper than 64 levels");
            assertThat(problem.location()).isEqualTo("line 4, column 67");
        });
    }

    @Test
    void aSecondYamlDocumentIsRefusedEvenWhenItDoesNotParse() {
        assertRefused(
                "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n---\n]\n&a x: *a\n",
                "a second YAML document");
    }

    @Test
    void aDocumentWhoseModelWouldTakeGigabytesIsRefusedBeforeTheParserBuildsIt() {
        // Swagger 2.0: 30,000 small nested schemas, 7 MB. Converted, it ran a 256 MB heap out of memory.
        var definitions = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            definitions
                    .append(i == 0 ? "" : ",")
                    .append("\"D")
                    .append(i)
                    .append("\": {\"type\": \"object\", ")
                    .append("\"properties\": {\"a\": {\"type\": \"object\", \"properties\": {\"b\": ")
                    .append("{\"type\": \"array\", \"items\": {\"$ref\": \"#/definitions/D0\"}}}}}}");
        }
        var swagger2 = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
                + " \"paths\": {}, \"definitions\": {" + definitions + "}}";
        assertRefused(swagger2, "the document is too large to check: at most 250000 values");

        // The same schemas in OpenAPI 3.0 are read: its parser needs less for each.
        var openapi3 = swagger2.replace("\"swagger\": \"2.0\"", "\"openapi\": \"3.0.3\"")
                        .replace("\"definitions\": {", "\"components\": {\"schemas\": {")
                        .replace("#/definitions/", "#/components/schemas/")
                + "}";
        assertThat(parser.parse(openapi3)).isInstanceOf(SpecDocumentParser.Parsed.class);
    }

    @Test
    void aDocumentWideSecurityRequirementCopiedToManyOperationsIsRefusedNotStoredGigabytesLarge() {
        var names = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            names.append(i == 0 ? "" : ", ")
                    .append("scheme")
                    .append(i)
                    .append("x".repeat(90))
                    .append(": []");
        }
        var paths = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            paths.append("  /p").append(i).append(": {get: {responses: {'200': {description: ok}}}}\n");
        }
        var amplified = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{" + names + "}]\npaths:\n" + paths;

        assertThat(parser.parse(amplified)).isInstanceOfSatisfying(SpecDocumentParser.Refused.class, refused -> {
            assertThat(refused.problems().getFirst().location()).isEqualTo("security");
            assertThat(refused.problems().getFirst().message()).startsWith("the operations' security requirements");
        });
    }

    @Test
    void aLongListOfEmptyDocumentWideRequirementsCountsAgainstTheBudgetToo() {
        var empty = "{},".repeat(300_000);
        var paths = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            paths.append(i == 0 ? "" : ",").append("\"/p").append(i).append("\": {\"get\": {\"responses\": {}}}");
        }
        var amplified = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
                + " \"security\": [" + empty.substring(0, empty.length() - 1) + "], \"paths\": {" + paths + "}}";

        assertRefused(amplified, "the operations' security requirements");
    }

    @Test
    void swagger2MediaTypesThatWouldMultiplyEveryResponseInTheConversionAreRefused() {
        var types = mediaTypes(1_000);
        var paths = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            paths.append(i == 0 ? "" : ",")
                    .append("\"/p")
                    .append(i)
                    .append("\": {\"get\": {\"responses\": {\"200\": {\"description\": \"d\",")
                    .append(" \"schema\": {\"type\": \"string\"}}}}}");
        }
        var document = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}," + " \"produces\": ["
                + types + "], \"paths\": {" + paths + "}}";

        assertRefused(document, "list fewer media types");
        // Each operation listing them for itself costs the same.
        assertRefused(
                document.replace("\"produces\": [" + types + "], ", "")
                        .replace("{\"get\": {", "{\"get\": {\"produces\": [" + mediaTypes(200) + "], "),
                "list fewer media types");
    }

    private static String mediaTypes(int count) {
        var types = new StringBuilder();
        for (int i = 0; i < count; i++) {
            types.append(i == 0 ? "" : ",").append("\"application/x-").append(i).append("\"");
        }
        return types.toString();
    }

    @Test
    void namesThatEveryRemarkWouldRepeatAreRefusedBeforeTheParserWordsThem() {
        // 3,000 unknown names under one 40,000-character path: each remark repeats the path.
        var unknown = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            unknown.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": 1");
        }
        var document = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}," + " \"paths\": {\"/"
                + "a".repeat(40_000) + "\": {" + unknown + "}}}";

        assertRefused(document, "the locations of its values");
    }

    private SpecDocumentParser.Result parse(String name) throws IOException {
        return parser.parse(Files.readString(CORPUS.resolve(name)));
    }

    private void assertRefused(String content, String reason) {
        assertThat(parser.parse(content))
                .isInstanceOfSatisfying(
                        SpecDocumentParser.Refused.class,
                        refused -> assertThat(refused.problems().getFirst().message())
                                .contains(reason));
    }
}
