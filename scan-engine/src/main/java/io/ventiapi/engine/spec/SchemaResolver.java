package io.ventiapi.engine.spec;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Map;
import java.util.Set;

/**
 * Follows internal {@code #/components/...} references on demand. The loader leaves internal refs in place
 * (see {@link SpecLoader}); everything that walks schemas goes through here.
 */
public final class SchemaResolver {

    private static final int MAX_REF_HOPS = 16;
    private final Components components;

    public SchemaResolver(OpenAPI openApi) {
        this.components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
    }

    /** The schema with its top-level ref chain followed; null in, null out; unresolvable refs give null. */
    public Schema<?> resolve(Schema<?> schema) {
        Schema<?> current = schema;
        for (int hops = 0; current != null && current.get$ref() != null && hops < MAX_REF_HOPS; hops++) {
            current = lookup(components.getSchemas(), current.get$ref(), "schemas");
        }
        return current != null && current.get$ref() != null ? null : current;
    }

    public Parameter resolve(Parameter parameter) {
        Parameter current = parameter;
        for (int hops = 0; current != null && current.get$ref() != null && hops < MAX_REF_HOPS; hops++) {
            current = lookup(components.getParameters(), current.get$ref(), "parameters");
        }
        return current;
    }

    public RequestBody resolve(RequestBody body) {
        RequestBody current = body;
        for (int hops = 0; current != null && current.get$ref() != null && hops < MAX_REF_HOPS; hops++) {
            current = lookup(components.getRequestBodies(), current.get$ref(), "requestBodies");
        }
        return current;
    }

    public ApiResponse resolve(ApiResponse response) {
        ApiResponse current = response;
        for (int hops = 0; current != null && current.get$ref() != null && hops < MAX_REF_HOPS; hops++) {
            current = lookup(components.getResponses(), current.get$ref(), "responses");
        }
        return current;
    }

    public io.swagger.v3.oas.models.links.Link resolve(io.swagger.v3.oas.models.links.Link link) {
        io.swagger.v3.oas.models.links.Link current = link;
        for (int hops = 0; current != null && current.get$ref() != null && hops < MAX_REF_HOPS; hops++) {
            current = lookup(components.getLinks(), current.get$ref(), "links");
        }
        return current;
    }

    /** The JSON types a schema allows, covering both 3.0 ({@code type}) and 3.1 ({@code types}). */
    public static Set<String> types(Schema<?> schema) {
        if (schema == null) {
            return Set.of();
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes();
        }
        return schema.getType() == null ? Set.of() : Set.of(schema.getType());
    }

    private static <T> T lookup(Map<String, T> map, String ref, String section) {
        if (map == null) {
            return null;
        }
        String prefix = "#/components/" + section + "/";
        String name = ref.startsWith(prefix) ? ref.substring(prefix.length()) : ref.substring(ref.lastIndexOf('/') + 1);
        return map.get(unescape(name));
    }

    private static String unescape(String pointerToken) {
        return pointerToken.replace("~1", "/").replace("~0", "~");
    }
}
