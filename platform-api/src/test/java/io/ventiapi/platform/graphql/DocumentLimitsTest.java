package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphQLError;
import graphql.parser.Parser;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentLimitsTest {

    private final DocumentLimits limits = new DocumentLimits(4, 6, Set.of());

    @Test
    void aDocumentWithinBothLimitsPasses() {
        assertThat(check("{ node { child { child { name } } } other: node { name } }"))
                .isEmpty();
    }

    @Test
    void depthCountsNestedFieldsThroughFragments() {
        assertThat(check("{ node { child { child { name } } } }")).isEmpty();

        assertThat(check("{ node { ...deeper } } fragment deeper on Node { child { child { child { name } } } }"))
                .hasValueSatisfying(
                        error -> assertThat(error.getMessage()).isEqualTo("query depth 5 is over the limit of 4"));
        assertThat(check("{ node { ... on Node { child { child { child { name } } } } } }"))
                .isPresent();
    }

    @Test
    void complexityCountsEveryFieldWithEachSpreadExpanded() {
        // node + (name, child + name) = 4, twice through the spread = 8
        var twice = "{ a: node { ...f } b: node { ...f } } fragment f on Node { name child { name } }";
        assertThat(check(twice))
                .hasValueSatisfying(error -> assertThat(error.getMessage())
                        .isEqualTo("query complexity 8 is over the limit of 6 (one per field, times the page size"
                                + " of each connection it is in)"));
        assertThat(check("{ a: node { ...f } } fragment f on Node { name child { name } }"))
                .isEmpty();
    }

    @Test
    void aFieldThatWalksTheTenantsDataIsSelectedOnceWhateverTheAliasesAndFragments() {
        var limits = new DocumentLimits(20, 1_000, Set.of());
        assertThat(limits.check(Parser.parse("{ auditChainStatus { intact } }")))
                .isEmpty();

        assertThat(limits.check(Parser.parse("{ a: auditChainStatus { intact } b: auditChainStatus { intact } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage())
                        .isEqualTo("auditChainStatus is selected 2 times; an operation may select it once"));
        assertThat(limits.check(Parser.parse(
                        "{ ...f ...f } fragment f on Query { ... on Query { auditChainStatus { intact } } }")))
                .hasValueSatisfying(
                        error -> assertThat(error.getMessage()).startsWith("auditChainStatus is selected 2"));
        // Fragments doubling at every level are counted without expanding them.
        var doubling = new StringBuilder("{ ...f0 }");
        for (int i = 0; i < 70; i++) {
            doubling.append(" fragment f%d on Query { ...f%d ...f%d }".formatted(i, i + 1, i + 1));
        }
        doubling.append(" fragment f70 on Query { auditChainStatus { intact } }");
        assertThat(limits.check(Parser.parse(doubling.toString())))
                .hasValueSatisfying(
                        error -> assertThat(error.getMessage()).startsWith("auditChainStatus is selected countless"));
    }

    @Test
    void fieldsInsideAConnectionCountOncePerItemOfItsPage() {
        var limits = new DocumentLimits(20, 1_000, Set.of());
        // items(first: 5): 1 + 5 × (edges + node + name) = 16
        assertThat(limits.check(Parser.parse("{ items(first: 5) { edges { node { name } } } }")))
                .isEmpty();
        // nested: 1 + 40 × (edges + node + (1 + 40 × 3)) = 4,921
        var nested = "{ items(first: 40) { edges { node { sub(first: 40) { edges { node { name } } } } } } }";
        assertThat(limits.check(Parser.parse(nested)))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 4921 "));
        // a variable may ask for the largest page (100), an absent first gets the default (20)
        assertThat(limits.check(Parser.parse("query($n: Int) { items(first: $n) { nodes { a b c d e f g h i j } } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 1101 "));
        assertThat(limits.check(Parser.parse("{ items { nodes { a b c d e f g h i j } } }")))
                .isEmpty();
        // edges behind an inline fragment or a spread still make a connection of the default page
        var strict = new DocumentLimits(20, 100, Set.of());
        assertThat(strict.check(Parser.parse("{ items { ... on C { nodes { a b c d e f g h i j } } } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 221 "));
        assertThat(strict.check(
                        Parser.parse("{ items { ...F } } fragment F on C { edges { node { a b c d e f g h i j } } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 241 "));
        // a field that is not a connection counts once, whatever it is called
        assertThat(limits.check(Parser.parse("{ viewer { a b c } }"))).isEmpty();
    }

    @Test
    void theSchemasConnectionFieldsAreKnownWhateverADocumentSelects() throws Exception {
        assertThat(GraphQlConfiguration.connectionFields())
                .contains("projects", "scans", "specVersions", "findings", "operations", "auditEvents")
                .doesNotContain("viewer", "project", "scan", "latestSpec");
    }

    @Test
    void eachItemOfAPageCostsAtLeastOneWhateverIsSelectedOfIt() {
        var limits = new DocumentLimits(20, 500, Set.of());
        // Nine aliases reading 100 scans each, nothing of them but __typename: 9 × (1 + 100 × 1)
        var aliases = new StringBuilder("{");
        for (int i = 0; i < 9; i++) {
            aliases.append(" a%d: scans(first: 100) { __typename }".formatted(i));
        }
        assertThat(limits.check(Parser.parse(aliases.append(" }").toString())))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 909 "));
        // and a page of items nested in another: 1 + 10 × (edges + node + (1 + 50 × 1))
        assertThat(limits.check(
                        Parser.parse("{ projects(first: 10) { edges { node { scans(first: 50) { __typename } } } } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 531 "));
        // A connection field is paged whatever is selected of it, a default page when no first is written.
        var knowingConnections = new DocumentLimits(20, 500, Set.of("scans"));
        var unpaged = new StringBuilder("{ projects(first: 10) { edges { node {");
        for (int i = 0; i < 3; i++) {
            unpaged.append(" a%d: scans { __typename }".formatted(i));
        }
        // 1 + 10 × (edges + node + 3 × (1 + 20 × 1))
        assertThat(knowingConnections.check(
                        Parser.parse(unpaged.append(" } } } }").toString())))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 651 "));
    }

    @Test
    void aOneItemPageStillCostsItsItem() {
        var limits = new DocumentLimits(20, 1_000, Set.of("findings"));
        // findings(first: 1) { __typename }: 1 + 1 × 1, once per alias
        assertThat(limits.check(Parser.parse("{ a: findings(first: 1) { __typename } b: findings { __typename } }")))
                .isEmpty();
        var strict = new DocumentLimits(20, 5, Set.of("findings"));
        assertThat(strict.check(
                        Parser.parse("{ a: findings(first: 1) { __typename } b: findings(first: 1) { __typename }"
                                + " c: findings(first: 1) { __typename } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity 6 "));
    }

    @Test
    void anOperationSelectsAtMostTenListsHoweverAliasedOrSpread() {
        var limits = new DocumentLimits(20, 1_000_000, Set.of("findings", "auditEvents", "scans", "projects"));
        assertThat(limits.check(Parser.parse("{" + aliases(10, "findings(first: 1) { __typename }") + " }")))
                .isEmpty();

        assertThat(limits.check(Parser.parse("{" + aliases(11, "auditEvents(first: 1) { __typename }") + " }")))
                .hasValueSatisfying(error -> {
                    assertThat(error.getMessage())
                            .isEqualTo("the operation reads 11 lists (connections); an operation may read at"
                                    + " most 10 lists, however aliased or spread: ask for the others in another"
                                    + " request");
                    assertThat(error.getExtensions()).containsEntry("code", "MAX_COMPLEXITY");
                });
        // A list nested in another counts once, not once per parent: its pages are read together.
        assertThat(limits.check(Parser.parse("{ projects(first: 100) { edges { node {"
                        + aliases(9, "scans(first: 1) { __typename }") + " } } } }")))
                .isEmpty();
        assertThat(limits.check(Parser.parse("{ projects(first: 100) { edges { node {"
                        + aliases(10, "scans(first: 1) { __typename }") + " } } } }")))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("the operation reads 11 lists"));
        // Spread from fragments, as often as they are spread, however deep.
        var doubling = new StringBuilder("{ ...f0 }");
        for (int i = 0; i < 70; i++) {
            doubling.append(" fragment f%d on Query { ...f%d ...f%d }".formatted(i, i + 1, i + 1));
        }
        doubling.append(" fragment f70 on Query { findings(first: 1) { __typename } }");
        assertThat(limits.check(Parser.parse(doubling.toString())))
                .hasValueSatisfying(
                        error -> assertThat(error.getMessage()).startsWith("the operation reads countless lists"));
        // A paged field the schema does not name is a list as well.
        assertThat(limits.check(Parser.parse("{" + aliases(11, "items { nodes { id } }") + " }")))
                .isPresent();
    }

    private static String aliases(int n, String field) {
        var all = new StringBuilder();
        for (int i = 0; i < n; i++) {
            all.append(" a").append(i).append(": ").append(field);
        }
        return all.toString();
    }

    @Test
    void typenameIsFreeButSkippedFieldsCount() {
        assertThat(check("{ node { __typename name child { __typename name child { __typename } } } }"))
                .isEmpty();
        assertThat(
                        check(
                                "query ($no: Boolean!) { a: node { name } b: node { name } c: node @skip(if: $no) { name } d: node @include(if: $no) { name } }"))
                .as("a limit that holds for the document holds for every request's variables")
                .isPresent();
    }

    @Test
    void everyOperationOfTheDocumentMustMeetTheLimits() {
        assertThat(
                        check(
                                "query Small { node { name } } query Big { a: node { name } b: node { name } c: node { name } d: node { name } }"))
                .isPresent();
    }

    @Test
    void fragmentsSpreadWithinFragmentsAreMeasuredOnceEach() {
        // 2^60 fields when expanded: measured in linear time, and refused
        var bomb = new StringBuilder("{ node { ...f0 } }");
        for (int i = 0; i < 60; i++) {
            bomb.append(" fragment f%d on Node { a: child { ...f%d } b: child { ...f%d } }".formatted(i, i + 1, i + 1));
        }
        bomb.append(" fragment f60 on Node { name }");

        assertThat(new DocumentLimits(1_000, 1_000, Set.of()).check(Parser.parse(bomb.toString())))
                .hasValueSatisfying(error -> assertThat(error.getMessage()).startsWith("query complexity "));
    }

    private Optional<GraphQLError> check(String document) {
        return limits.check(Parser.parse(document));
    }
}
