package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SelectionsTest {

    private static final List<String> PROJECT = List.of("edges", "node", "project");

    @Test
    void aPlainSelectionIsFound() {
        assertThat(selectsProject("{ findings { edges { node { id project { name } } } } }"))
                .isTrue();
    }

    @Test
    void aPageWithoutTheFieldDoesNotSelectIt() {
        assertThat(selectsProject(
                        "{ findings { edges { node { id lastSeenScan { id } } } pageInfo { hasNextPage } } }"))
                .isFalse();
    }

    @Test
    void theFieldElsewhereInTheTreeDoesNotCount() {
        assertThat(selectsProject("{ findings { edges { cursor } project: pageInfo { endCursor } } }"))
                .isFalse();
        assertThat(selectsProject("{ findings { edges { node { lastSeenScan { project { id } } } } } }"))
                .isFalse();
    }

    @Test
    void aliasesAreSeenThrough() {
        assertThat(selectsProject("{ findings { e: edges { n: node { owner: project { id } } } } }"))
                .isTrue();
    }

    @Test
    void inlineFragmentsAndFragmentSpreadsAreFollowed() {
        assertThat(
                        selectsProject(
                                "{ findings { ... on FindingConnection { edges { node { ... on Finding { project { id } } } } } } }"))
                .isTrue();
        assertThat(selectsProject("""
                        { findings { edges { ...Edge } } }
                        fragment Edge on FindingEdge { node { ...Node } }
                        fragment Node on Finding { id project { name } }""")).isTrue();
        assertThat(selectsProject("""
                        { findings { edges { ...Edge } } }
                        fragment Edge on FindingEdge { node { id } }""")).isFalse();
    }

    /** Whether the document's first top-level field selects edges/node/project. */
    private static boolean selectsProject(String query) {
        Document document = Parser.parse(query);
        var operation = document.getDefinitionsOfType(OperationDefinition.class).getFirst();
        var field = (Field) operation.getSelectionSet().getSelections().getFirst();
        Map<String, FragmentDefinition> fragments = document.getDefinitionsOfType(FragmentDefinition.class).stream()
                .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity()));
        return Selections.selects(field.getSelectionSet(), PROJECT, fragments);
    }
}
