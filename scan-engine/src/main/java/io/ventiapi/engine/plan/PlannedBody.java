package io.ventiapi.engine.plan;

import io.swagger.v3.oas.models.media.Schema;

/**
 * The request body an operation takes.
 *
 * @param mediaType the chosen media type: JSON when offered, else form, multipart, then whatever comes first
 * @param schema its schema, possibly a {@code $ref}; may be null
 * @param example a documented example, or null
 * @param required whether the document requires a body
 */
public record PlannedBody(String mediaType, Schema<?> schema, Object example, boolean required) {}
