package io.ventiapi.engine.plan;

import io.swagger.v3.oas.models.media.Schema;

/**
 * One documented parameter of an operation.
 *
 * @param name the parameter name as sent
 * @param location where it travels
 * @param required whether the document requires it
 * @param schema its schema, possibly a {@code $ref}; null when undocumented
 * @param example the documented example value, or null
 */
public record PlannedParameter(
        String name, ParameterLocation location, boolean required, Schema<?> schema, Object example) {

    /** The label used in findings, e.g. {@code query:sort}. */
    public String label() {
        return location.label() + ":" + name;
    }
}
