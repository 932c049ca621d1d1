package io.ventiapi.platform.graphql;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.SelectionSet;
import graphql.schema.DataFetchingEnvironment;
import java.util.List;
import java.util.Map;

/**
 * Whether a field's query selects a sub-field at a path, read off the document's own syntax tree.
 * graphql-java's {@code DataFetchingFieldSelectionSet} answers the same question by building the
 * whole normalized selection and matching glob patterns through {@code java.nio}'s path matcher:
 * on a page of findings that was about a twentieth of the request's CPU and a sixth of what it
 * allocated, to learn two booleans.
 *
 * <p>Aliases, inline fragments and fragment spreads are followed; {@code @skip} and {@code
 * @include} are not evaluated, so a field they leave out still counts as selected. Callers use the
 * answer to read ahead, never to decide what the caller may see.
 */
public final class Selections {

    private Selections() {}

    /** Whether the field being fetched selects {@code path}, e.g. {@code "edges", "node", "project"}. */
    public static boolean selects(DataFetchingEnvironment environment, String... path) {
        var fragments = environment.getFragmentsByName();
        for (var field : environment.getMergedField().getFields()) {
            if (selects(field.getSelectionSet(), List.of(path), fragments)) {
                return true;
            }
        }
        return false;
    }

    static boolean selects(SelectionSet selections, List<String> path, Map<String, FragmentDefinition> fragments) {
        if (path.isEmpty()) {
            return true;
        }
        if (selections == null) {
            return false;
        }
        for (var selection : selections.getSelections()) {
            boolean found = switch (selection) {
                case Field field ->
                    field.getName().equals(path.getFirst())
                            && selects(field.getSelectionSet(), path.subList(1, path.size()), fragments);
                case InlineFragment inline -> selects(inline.getSelectionSet(), path, fragments);
                case FragmentSpread spread -> {
                    var fragment = fragments.get(spread.getName());
                    yield fragment != null && selects(fragment.getSelectionSet(), path, fragments);
                }
                default -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }
}
