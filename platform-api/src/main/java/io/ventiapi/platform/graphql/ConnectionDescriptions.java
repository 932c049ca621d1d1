package io.ventiapi.platform.graphql;

import graphql.language.Description;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.util.Map;
import org.springframework.graphql.execution.TypeDefinitionConfigurer;

/**
 * Describes the Relay types Spring GraphQL generates ({@code XConnection}, {@code XEdge}, {@code
 * PageInfo}), which come without descriptions, so the schema documents every type and field.
 * Must run after the generation: it only touches generated types that have no description.
 */
final class ConnectionDescriptions implements TypeDefinitionConfigurer {

    private static final String CONNECTION = "Connection";
    private static final String EDGE = "Edge";

    @Override
    public void configure(TypeDefinitionRegistry registry) {
        for (var type : registry.getTypes(ObjectTypeDefinition.class)) {
            if (type.getDescription() != null) {
                continue;
            }
            var name = type.getName();
            ObjectTypeDefinition described = null;
            if (name.equals("PageInfo")) {
                described = describe(
                        type,
                        "Where a page is in the whole list.",
                        Map.of(
                                "hasPreviousPage", "Whether items come before this page.",
                                "hasNextPage", "Whether items come after this page.",
                                "startCursor", "Cursor of the page's first item.",
                                "endCursor", "Cursor of the page's last item: pass it as after for the next page."));
            } else if (name.endsWith(CONNECTION) && name.length() > CONNECTION.length()) {
                var item = name.substring(0, name.length() - CONNECTION.length());
                described = describe(
                        type,
                        "A page of " + item + " items (Relay connection).",
                        Map.of(
                                "edges", "The items of this page, each with its cursor.",
                                "pageInfo", "Where this page is in the whole list."));
            } else if (name.endsWith(EDGE) && name.length() > EDGE.length()) {
                var item = name.substring(0, name.length() - EDGE.length());
                described = describe(
                        type,
                        "One " + item + " of a page, with its cursor.",
                        Map.of(
                                "cursor",
                                "Pass it as after to get the items that follow this one.",
                                "node",
                                "The " + item + "."));
            }
            if (described != null) {
                registry.remove(type);
                registry.add(described);
            }
        }
    }

    private static ObjectTypeDefinition describe(
            ObjectTypeDefinition type, String description, Map<String, String> fieldDescriptions) {
        var fields = type.getFieldDefinitions().stream()
                .map(field -> field.getDescription() != null || !fieldDescriptions.containsKey(field.getName())
                        ? field
                        : field.transform(builder -> builder.description(text(fieldDescriptions.get(field.getName())))))
                .toList();
        return type.transform(builder -> builder.description(text(description)).fieldDefinitions(fields));
    }

    private static Description text(String content) {
        return new Description(content, null, false);
    }
}
