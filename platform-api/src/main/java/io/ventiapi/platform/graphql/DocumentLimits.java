package io.ventiapi.platform.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.graphql.execution.ErrorType;

/**
 * The depth and complexity limits, checked once on a whole document rather than on every request
 * that runs it: depth is the longest chain of nested fields, complexity the number of fields an
 * operation selects with every fragment spread expanded ({@code __typename} is free), each field
 * inside a connection counted once per item a page of it may hold: its {@code first} when that is
 * written in the document, else the largest page when {@code first} is a variable, else the
 * default page (a connection is a field the schema gives a connection type, or one that selects
 * {@code edges} or {@code nodes}, directly or through fragments). So a
 * connection nested in another costs the product of their pages. Each
 * operation of the document must meet both. {@code @skip} and {@code @include} are ignored, so a
 * field counts whether or not a request's variables would leave it out: a limit that holds for the
 * document holds for every request. Each fragment is measured once however often it is spread, so
 * a document spreading fragments within fragments costs time in proportion to its length.
 */
final class DocumentLimits {

    /**
     * Fields whose cost grows with the tenant's data, not with a page: {@code auditChainStatus}
     * reads and hashes the whole chain. An operation may select each once, whatever its aliases
     * and fragments.
     */
    private static final Set<String> ONCE_PER_OPERATION = Set.of("auditChainStatus");

    private final int maxDepth;
    private final int maxComplexity;
    private final Set<String> connections;

    /**
     * @param connections the names of the schema's fields that return a connection: each is paged
     *     whatever a document selects of it ({@code __typename} only, say), and reads a default page
     *     when no {@code first} is written
     */
    DocumentLimits(int maxDepth, int maxComplexity, Set<String> connections) {
        this.maxDepth = maxDepth;
        this.maxComplexity = maxComplexity;
        this.connections = Set.copyOf(connections);
    }

    /** The error for a document over a limit; empty when every operation meets both. */
    Optional<GraphQLError> check(Document document) {
        var fragments = new HashMap<String, FragmentDefinition>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        var measures = new Measures(fragments, connections);
        for (var operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            var size = measures.of(operation.getSelectionSet());
            if (size.depth() > maxDepth) {
                return Optional.of(refusal(
                        "query depth %d is over the limit of %d".formatted(size.depth(), maxDepth), "MAX_DEPTH"));
            }
            for (var field : ONCE_PER_OPERATION) {
                long times = measures.selections(operation.getSelectionSet(), field);
                if (times > 1) {
                    return Optional.of(refusal(
                            "%s is selected %s times; an operation may select it once"
                                    .formatted(field, times == Long.MAX_VALUE ? "countless" : times),
                            "MAX_COMPLEXITY"));
                }
            }
            if (size.fields() > maxComplexity) {
                return Optional.of(refusal(
                        "query complexity %s is over the limit of %d (one per field, times the page size of each connection it is in)"
                                .formatted(
                                        size.fields() == Long.MAX_VALUE ? "beyond counting" : size.fields(),
                                        maxComplexity),
                        "MAX_COMPLEXITY"));
            }
        }
        return Optional.empty();
    }

    private static GraphQLError refusal(String message, String code) {
        return GraphqlErrorBuilder.newError()
                .errorType(ErrorType.BAD_REQUEST)
                .message(message)
                .extensions(Map.of("code", code))
                .build();
    }

    /** Nested fields and fields selected, saturating rather than overflowing. */
    private record Size(int depth, long fields) {

        static final Size NONE = new Size(0, 0);

        Size plus(Size other) {
            return new Size(Math.max(depth, other.depth), saturatedAdd(fields, other.fields));
        }

        static long saturatedAdd(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }

        static long saturatedMultiply(long a, long b) {
            return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
        }
    }

    private static final class Measures {

        private final Map<String, FragmentDefinition> fragments;
        private final Set<String> connections;
        private final Map<String, Size> ofFragment = new HashMap<>();
        private final Map<String, Long> selectionsIn = new HashMap<>();

        Measures(Map<String, FragmentDefinition> fragments, Set<String> connections) {
            this.fragments = fragments;
            this.connections = connections;
        }

        Size of(SelectionSet selections) {
            if (selections == null) {
                return Size.NONE;
            }
            var size = Size.NONE;
            for (var selection : selections.getSelections()) {
                size = size.plus(
                        switch (selection) {
                            case Field field -> {
                                var below = of(field.getSelectionSet());
                                long self = field.getName().equals("__typename") ? 0 : 1;
                                // Each item of a page is read whatever is selected of it (only
                                // __typename, say): an item costs at least one.
                                long page = pageSize(field);
                                long items = page > 1
                                        ? Size.saturatedMultiply(page, Math.max(1, below.fields()))
                                        : below.fields();
                                yield new Size(below.depth() + 1, Size.saturatedAdd(self, items));
                            }
                            case InlineFragment inline -> of(inline.getSelectionSet());
                            case FragmentSpread spread -> ofFragment(spread.getName());
                            default -> Size.NONE;
                        });
            }
            return size;
        }

        /** How often a field named {@code name} is selected, fragments spread as often as they are. */
        long selections(SelectionSet selections, String name) {
            if (selections == null) {
                return 0;
            }
            long count = 0;
            for (var selection : selections.getSelections()) {
                count = Size.saturatedAdd(
                        count,
                        switch (selection) {
                            case Field field ->
                                Size.saturatedAdd(
                                        field.getName().equals(name) ? 1 : 0,
                                        selections(field.getSelectionSet(), name));
                            case InlineFragment inline -> selections(inline.getSelectionSet(), name);
                            case FragmentSpread spread -> selectionsInFragment(spread.getName(), name);
                            default -> 0L;
                        });
            }
            return count;
        }

        /** Counted once per fragment, however often it is spread (validation refused cycles). */
        private long selectionsInFragment(String fragment, String name) {
            var key = fragment + "\n" + name;
            var known = selectionsIn.get(key);
            if (known != null) {
                return known;
            }
            var definition = fragments.get(fragment);
            long count = definition == null ? 0 : selections(definition.getSelectionSet(), name);
            selectionsIn.put(key, count);
            return count;
        }

        /** How many items a page of this field may hold: 1 unless it is a connection. */
        private long pageSize(Field field) {
            boolean connection =
                    connections.contains(field.getName()) || selectsEdges(field.getSelectionSet(), new HashSet<>());
            var first = field.getArguments().stream()
                    .filter(argument -> argument.getName().equals("first"))
                    .findFirst();
            if (first.isEmpty()) {
                return connection ? Paging.DEFAULT_PAGE : 1;
            }
            if (first.get().getValue() instanceof IntValue value) {
                // Below 1 is refused before any request runs (PageArguments); as the largest here.
                long written = value.getValue().longValue();
                return written < 1 ? Paging.MAX_PAGE : Math.min(written, Paging.MAX_PAGE);
            }
            return Paging.MAX_PAGE;
        }

        /** Whether {@code edges} or {@code nodes} is selected here, directly or through fragments. */
        private boolean selectsEdges(SelectionSet selections, Set<String> spreadsSeen) {
            if (selections == null) {
                return false;
            }
            for (var selection : selections.getSelections()) {
                boolean edges = switch (selection) {
                    case Field child ->
                        child.getName().equals("edges") || child.getName().equals("nodes");
                    case InlineFragment inline -> selectsEdges(inline.getSelectionSet(), spreadsSeen);
                    case FragmentSpread spread ->
                        spreadsSeen.add(spread.getName())
                                && fragments.containsKey(spread.getName())
                                && selectsEdges(fragments.get(spread.getName()).getSelectionSet(), spreadsSeen);
                    default -> false;
                };
                if (edges) {
                    return true;
                }
            }
            return false;
        }

        /** Validation has refused unknown fragments and cycles, so this recursion ends. */
        private Size ofFragment(String name) {
            var known = ofFragment.get(name);
            if (known != null) {
                return known;
            }
            var fragment = fragments.get(name);
            var size = fragment == null ? Size.NONE : of(fragment.getSelectionSet());
            ofFragment.put(name, size);
            return size;
        }
    }
}
