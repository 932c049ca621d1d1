package io.ventiapi.engine.plan;

/**
 * A producer operation whose responses supply a value for a consumer's path parameter.
 *
 * @param producerId the operation whose response holds the value (lists or creates the resource)
 * @param consumerId the operation that needs it
 * @param parameter the consumer's path parameter name
 * @param producerField the response field that holds the value, as a JSON property name or pointer
 * @param reason how the edge was inferred
 */
public record DependencyEdge(
        String producerId, String consumerId, String parameter, String producerField, Reason reason) {

    /** How a dependency was found, strongest first. */
    public enum Reason {
        /** Declared with an OpenAPI link. */
        LINK,
        /** The producer's path is the consumer's path up to the parameter (a collection and its items). */
        PATH,
        /** The producer's response schema has a property named like the parameter. */
        SCHEMA_NAME
    }
}
