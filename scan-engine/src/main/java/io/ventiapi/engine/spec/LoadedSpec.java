package io.ventiapi.engine.spec;

import io.swagger.v3.oas.models.OpenAPI;
import java.util.List;

/**
 * An API description read into the OpenAPI 3 model (Swagger 2.0 documents are converted on load).
 *
 * @param location the file path or URL it was read from
 * @param declaredVersion the version the document declares, e.g. {@code 2.0} or {@code 3.1.0}
 * @param openApi the parsed model with external {@code $ref}s pulled in; internal refs stay refs
 * @param warnings parser messages that did not prevent loading, for the user to see
 */
public record LoadedSpec(String location, String declaredVersion, OpenAPI openApi, List<String> warnings) {

    public LoadedSpec {
        warnings = List.copyOf(warnings);
    }
}
