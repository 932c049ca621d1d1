package io.ventiapi.platform.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import io.ventiapi.platform.common.ErrorCode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.graphql.execution.ErrorType;

/**
 * The {@code first} arguments of a document's connections. A page holds at least one item: a
 * {@code first} below 1, written in the document or given in a variable, is refused before the
 * request runs, not served as a page of another size (Spring would serve a negative one as the
 * default page, and the complexity limit would have counted it as one item). More than
 * {@link Paging#MAX_PAGE} is served as {@link Paging#MAX_PAGE}.
 *
 * @param literalBelowOne whether the document itself writes a {@code first} below 1, or a
 *     default below 1 for a variable given as one
 * @param variables the variables given as {@code first} anywhere in the document
 */
record PageArguments(boolean literalBelowOne, Set<String> variables) {

    static final GraphQLError REFUSAL = GraphqlErrorBuilder.newError()
            .errorType(ErrorType.BAD_REQUEST)
            .message("first is at least 1 (a page holds at most " + Paging.MAX_PAGE + " items)")
            .extensions(Map.of("code", ErrorCode.INVALID_INPUT.name()))
            .build();

    static PageArguments of(Document document) {
        var below = new boolean[1];
        var variables = new HashSet<String>();
        var defaultsBelowOne = new HashSet<String>();
        new NodeTraverser()
                .depthFirst(
                        new NodeVisitorStub() {
                            @Override
                            public TraversalControl visitVariableDefinition(
                                    VariableDefinition definition, TraverserContext<Node> context) {
                                if (definition.getDefaultValue() instanceof IntValue value
                                        && value.getValue().signum() < 1) {
                                    defaultsBelowOne.add(definition.getName());
                                }
                                return TraversalControl.CONTINUE;
                            }

                            @Override
                            public TraversalControl visitField(Field field, TraverserContext<Node> context) {
                                for (Argument argument : field.getArguments()) {
                                    if (argument.getName().equals("first")) {
                                        switch (argument.getValue()) {
                                            case IntValue value ->
                                                below[0] |= value.getValue().signum() < 1;
                                            case VariableReference variable -> variables.add(variable.getName());
                                            default -> {}
                                        }
                                    }
                                }
                                return TraversalControl.CONTINUE;
                            }
                        },
                        document);
        // A page variable whose default is below 1: a request that leaves it out asks for such a page.
        below[0] |= variables.stream().anyMatch(defaultsBelowOne::contains);
        return new PageArguments(below[0], Set.copyOf(variables));
    }

    /** Whether the request's {@code values} give one of the {@link #variables} a value below 1. */
    boolean refuses(Map<String, Object> values) {
        for (var name : variables) {
            if (values.get(name) instanceof Number number && number.longValue() < 1) {
                return true;
            }
        }
        return false;
    }
}
