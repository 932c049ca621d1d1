package io.ventiapi.platform.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Argument;
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
 * {@code edges} or {@code nodes}, directly or through fragments, or takes {@code first}). Each item
 * counts at least one, whatever is selected of it. So a connection nested in another costs the
 * product of their pages. Besides, an operation may select at most {@value #MAX_CONNECTIONS}
 * connections, counted as often as they are written or spread: each is a statement of its own (a
 * nested one reads its pages for every parent on the page at once), and one filtered to match
 * nothing may read every row of the tenant's list while costing next to nothing above. Each
 * operation of the document must meet every limit. {@code @skip} and {@code @include} are ignored, so a
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

    /**
     * Most connections an operation may select, aliases and spreads counted: the largest a test or
     * documented example selects is six (a tenant's members, API clients, issuers, projects with
     * their scans, and findings).
     */
    static final int MAX_CONNECTIONS = 10;

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
            if (size.connections() > MAX_CONNECTIONS) {
                return Optional.of(refusal(
                        "the operation reads %s lists (connections); an operation may read at most %d lists,"
                                        .formatted(
                                                size.connections() == Long.MAX_VALUE ? "countless" : size.connections(),
                                                MAX_CONNECTIONS)
                                + " however aliased or spread: ask for the others in another request",
                        "MAX_COMPLEXITY"));
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

    /** Nested fields, fields selected and connections selected, saturating rather than overflowing. */
    private record Size(int depth, long fields, long connections) {

        static final Size NONE = new Size(0, 0, 0);

        Size plus(Size other) {
            return new Size(
                    Math.max(depth, other.depth),
                    saturatedAdd(fields, other.fields),
                    saturatedAdd(connections, other.connections));
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
                                if (!paged(field)) {
                                    yield new Size(
                                            below.depth() + 1,
                                            Size.saturatedAdd(self, below.fields()),
                                            below.connections());
                                }
                                // Each item of a page is read whatever is selected of it (only
                                // __typename, say): an item costs at least one.
                                long items = Size.saturatedMultiply(pageSize(field), Math.max(1, below.fields()));
                                // Its own statement, and those of connections nested in it: not
                                // once per item, since nested pages are read for a whole page at once.
                                yield new Size(
                                        below.depth() + 1,
                                        Size.saturatedAdd(self, items),
                                        Size.saturatedAdd(1, below.connections()));
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

        /** Whether this field is a connection, or at least paged like one (it takes {@code first}). */
        private boolean paged(Field field) {
            return connections.contains(field.getName())
                    || first(field).isPresent()
                    || selectsEdges(field.getSelectionSet(), new HashSet<>());
        }

        private static Optional<Argument> first(Field field) {
            return field.getArguments().stream()
                    .filter(argument -> argument.getName().equals("first"))
                    .findFirst();
        }

        /** How many items a page of this connection may hold. */
        private static long pageSize(Field field) {
            var first = first(field);
            if (first.isEmpty()) {
                return Paging.DEFAULT_PAGE;
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
