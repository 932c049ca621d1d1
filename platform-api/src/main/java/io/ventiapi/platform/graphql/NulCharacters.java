package io.ventiapi.platform.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Document;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.StringValue;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.StorableText;
import java.util.Collection;
import java.util.Map;
import org.springframework.graphql.execution.ErrorType;

/**
 * Input {@link StorableText PostgreSQL could not store}, in a document's strings or in the
 * variables, is refused as the client's mistake before it runs, rather than failing at the
 * database as the platform's.
 */
final class NulCharacters {

    static final GraphQLError REFUSAL = GraphqlErrorBuilder.newError()
            .errorType(ErrorType.BAD_REQUEST)
            .message("text cannot contain the NUL character (U+0000)")
            .extensions(Map.of("code", ErrorCode.INVALID_INPUT.name()))
            .build();

    private NulCharacters() {}

    /** Whether a string written in the document holds one. */
    static boolean in(Document document) {
        var found = new boolean[1];
        new NodeTraverser()
                .depthFirst(
                        new NodeVisitorStub() {
                            @Override
                            public TraversalControl visitStringValue(StringValue node, TraverserContext<Node> context) {
                                found[0] = StorableText.holdsNul(node.getValue());
                                return found[0] ? TraversalControl.QUIT : TraversalControl.CONTINUE;
                            }
                        },
                        document);
        return found[0];
    }

    /** Whether a value of the variables (a string, or one inside a list or an input object) holds one. */
    static boolean in(Object variables) {
        return switch (variables) {
            case String text -> StorableText.holdsNul(text);
            case Map<?, ?> map ->
                map.keySet().stream().anyMatch(NulCharacters::in)
                        || map.values().stream().anyMatch(NulCharacters::in);
            case Collection<?> values -> values.stream().anyMatch(NulCharacters::in);
            case null, default -> false;
        };
    }
}
