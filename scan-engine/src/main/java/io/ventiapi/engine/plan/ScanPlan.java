package io.ventiapi.engine.plan;

import io.ventiapi.engine.spec.SchemaResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the engine will exercise, derived from one API description.
 *
 * @param title the API's title
 * @param apiVersion the API's own version string
 * @param serverUrls the documented server URLs (informational; the scan target is given separately)
 * @param operations all operations, in document order
 * @param dependencies producer to consumer edges between operations
 * @param securitySchemes the declared security schemes by name
 * @param schemas resolves the {@code $ref}s left in parameter, body and response schemas
 */
public record ScanPlan(
        String title,
        String apiVersion,
        List<String> serverUrls,
        List<PlannedOperation> operations,
        DependencyGraph dependencies,
        Map<String, SecuritySchemeInfo> securitySchemes,
        SchemaResolver schemas) {

    public ScanPlan {
        serverUrls = List.copyOf(serverUrls);
        operations = List.copyOf(operations);
        securitySchemes = Map.copyOf(securitySchemes);
    }

    public Optional<PlannedOperation> operation(String id) {
        return operations.stream().filter(op -> op.id().equals(id)).findFirst();
    }
}
