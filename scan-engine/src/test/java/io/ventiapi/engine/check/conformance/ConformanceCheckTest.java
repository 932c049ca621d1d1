package io.ventiapi.engine.check.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.ventiapi.engine.spec.SchemaResolver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Response validation against documented schemas: real violations are named, valid bodies pass. */
class ConformanceCheckTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final SchemaResolver resolver = new SchemaResolver(new OpenAPI()
            .components(new Components()
                    .addSchemas(
                            "Pet",
                            new ObjectSchema()
                                    .addProperty("id", new IntegerSchema())
                                    .addProperty("status", new StringSchema()._enum(List.of("available", "sold")))
                                    .addProperty("tag", new StringSchema().nullable(true)))));

    private List<String> violations(Schema<?> schema, String body) {
        List<String> found = new ArrayList<>();
        ConformanceCheck.validate(resolver, schema, json.readTree(body), "$", found, 0);
        return found;
    }

    @Test
    void acceptsBodiesThatMatch() {
        Schema<?> pets = new ArraySchema().items(new Schema<>().$ref("#/components/schemas/Pet"));

        assertThat(violations(pets, "[{\"id\":1,\"status\":\"sold\",\"tag\":null,\"extra\":true}]"))
                .isEmpty();
        assertThat(violations(new IntegerSchema(), "3.0"))
                .as("an integral number is an integer")
                .isEmpty();
    }

    @Test
    void namesWrongTypesMissingRequiredAndEnumViolations() {
        ObjectSchema pet = new ObjectSchema();
        pet.addProperty("id", new IntegerSchema())
                .addProperty("status", new StringSchema()._enum(List.of("available")))
                .addProperty("name", new StringSchema());
        pet.setRequired(List.of("id", "name"));

        assertThat(violations(pet, "{\"id\":\"7\",\"status\":\"lost\"}"))
                .containsExactlyInAnyOrder(
                        "$.name is required but missing",
                        "$.id is the string \"7\" but the schema says integer",
                        "$.status is \"lost\", not one of [available]");
    }

    @Test
    void aRequiredWriteOnlyPropertyMayBeMissingFromAResponse() {
        ObjectSchema user = new ObjectSchema();
        user.addProperty("name", new StringSchema()).addProperty("password", new StringSchema().writeOnly(true));
        user.setRequired(List.of("name", "password"));
        ObjectSchema named = new ObjectSchema();
        named.addProperty("name", new StringSchema());
        named.setRequired(List.of("name", "password"));
        ComposedSchema composed = new ComposedSchema();
        composed.setAllOf(
                List.of(named, new ObjectSchema().addProperty("password", new StringSchema().writeOnly(true))));

        assertThat(violations(user, "{\"name\":\"alice\"}"))
                .as("the password is sent in requests, never answered")
                .isEmpty();
        assertThat(violations(composed, "{\"name\":\"alice\"}"))
                .as("required by one allOf part, declared writeOnly by another")
                .isEmpty();
        assertThat(violations(user, "{\"password\":\"x\"}")).containsExactly("$.name is required but missing");
    }

    @Test
    void acceptsOneOfWhenAnyAlternativeMatches() {
        ComposedSchema either = new ComposedSchema();
        either.setOneOf(List.of(new IntegerSchema(), new StringSchema()));

        assertThat(violations(either, "\"x\"")).isEmpty();
        assertThat(violations(either, "true")).singleElement().asString().contains("none of its oneOf/anyOf");
    }
}
