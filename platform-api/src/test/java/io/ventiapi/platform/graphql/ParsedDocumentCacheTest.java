package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.language.OperationDefinition;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedDocumentCacheTest {

    private static final String SCHEMA = """
            type Query { node: Node, items(first: Int): [Node] }
            type Mutation { rename: Node }
            type Node { name: String, child: Node }
            """;

    private final ParsedDocumentCache cache = new ParsedDocumentCache(new DocumentLimits(4, 6, Set.of()));
    private final AtomicInteger parses = new AtomicInteger();

    private final GraphQL graphQl = graphQl(cache);

    private GraphQL graphQl(ParsedDocumentCache documents) {
        return GraphQL.newGraphQL(new SchemaGenerator()
                        .makeExecutableSchema(
                                new SchemaParser().parse(SCHEMA),
                                RuntimeWiring.newRuntimeWiring().build()))
                .preparsedDocumentProvider((input, parse) -> documents.getDocumentAsync(input, in -> {
                    parses.incrementAndGet();
                    return parse.apply(in);
                }))
                .build();
    }

    @Test
    void aQuerySentAgainIsParsedOnce() {
        var first = graphQl.execute("{ node { name } }");
        var second = graphQl.execute("{ node { name } }");

        assertThat(first.getErrors()).isEmpty();
        assertThat(second.getErrors()).isEmpty();
        assertThat(parses).hasValue(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void documentsOverALimitAreRefusedEveryTimeAndNotKept() {
        var deep = "{ node { child { child { child { child { name } } } } } }";
        var wide = "{ a: node { name } b: node { name } c: node { name } d: node { name } }";

        for (int i = 0; i < 2; i++) {
            assertThat(graphQl.execute(deep).getErrors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.getMessage()).containsIgnoringCase("depth"));
            assertThat(graphQl.execute(wide).getErrors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.getMessage()).containsIgnoringCase("complexity"));
        }
        assertThat(cache.size()).isZero();
        assertThat(parses).hasValue(4);
    }

    @Test
    void aPageBelowOneItemIsRefusedWrittenOrInAVariableEachTime() {
        for (var written : new String[] {
            "{ items(first: 0) { name } }",
            "{ items(first: -1) { name } }",
            "query($n: Int = 0) { items(first: $n) { name } }"
        }) {
            assertThat(graphQl.execute(written).getErrors())
                    .as(written)
                    .singleElement()
                    .satisfies(error -> {
                        assertThat(error.getMessage())
                                .isEqualTo("first is at least 1 (a page holds at most 100 items)");
                        assertThat(error.getExtensions()).containsEntry("code", "INVALID_INPUT");
                    });
        }
        // A variable page counts as the largest one: a larger complexity limit lets it in.
        var roomy = new ParsedDocumentCache(new DocumentLimits(4, 1_000, Set.of()));
        var variable = "query($n: Int) { items(first: $n) { name } }";
        for (int i = 0; i < 2; i++) {
            assertThat(graphQl(roomy).execute(input(variable, -5)).getErrors())
                    .as("kept, then sent again")
                    .singleElement()
                    .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "INVALID_INPUT"));
            assertThat(graphQl(roomy).execute(input(variable, 5)).getErrors()).isEmpty();
        }
        assertThat(roomy.size()).isEqualTo(1);
    }

    private static ExecutionInput input(String query, int first) {
        return ExecutionInput.newExecutionInput(query)
                .variables(java.util.Map.of("n", first))
                .build();
    }

    @Test
    void invalidAndOversizedDocumentsAreNotKept() {
        graphQl.execute("{ node { nope } }");
        graphQl.execute("{ node { nope } }");
        var huge = "{ node { name } }" + " ".repeat(ParsedDocumentCache.MAX_QUERY_CHARS);
        graphQl.execute(ExecutionInput.newExecutionInput(huge).build());
        graphQl.execute(ExecutionInput.newExecutionInput(huge).build());

        assertThat(parses).hasValue(4);
        assertThat(cache.size()).isZero();
    }

    @Test
    void tellsWhichOperationAKeptDocumentRuns() {
        var single = "{ node { name } }";
        var both = "query Read { node { name } } mutation Write { rename { name } }";
        assertThat(cache.operation(single, null)).as("not kept yet").isEmpty();

        graphQl.execute(single);
        graphQl.execute(
                ExecutionInput.newExecutionInput(both).operationName("Read").build());

        assertThat(cache.operation(single, null)).contains(OperationDefinition.Operation.QUERY);
        assertThat(cache.operation(both, "Read")).contains(OperationDefinition.Operation.QUERY);
        assertThat(cache.operation(both, "Write")).contains(OperationDefinition.Operation.MUTATION);
        assertThat(cache.operation(both, null)).as("two operations, none named").isEmpty();
        assertThat(cache.operation(both, "Delete")).isEmpty();
    }

    @Test
    void aFullCacheDropsOnlyItsLeastRecentlyUsedDocument() {
        graphQl.execute("{ a0: node { name } }");
        graphQl.execute("{ a1: node { name } }");
        for (int i = 2; i < ParsedDocumentCache.MAX_ENTRIES; i++) {
            graphQl.execute("{ a%d: node { name } }".formatted(i));
        }
        graphQl.execute("{ a0: node { name } }");
        assertThat(parses).hasValue(ParsedDocumentCache.MAX_ENTRIES);

        graphQl.execute("{ another: node { name } }");

        assertThat(cache.size()).isEqualTo(ParsedDocumentCache.MAX_ENTRIES);
        assertThat(cache.operation("{ a0: node { name } }", null))
                .as("used again lately, kept")
                .isPresent();
        assertThat(cache.operation("{ a1: node { name } }", null))
                .as("the least recently used, dropped")
                .isEmpty();
        graphQl.execute("{ a2: node { name } }");
        assertThat(parses).hasValue(ParsedDocumentCache.MAX_ENTRIES + 1);
    }
}
