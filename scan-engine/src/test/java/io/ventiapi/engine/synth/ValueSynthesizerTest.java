package io.ventiapi.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.ventiapi.engine.spec.SchemaResolver;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values built from schemas must be valid for them: that is what lets baselines succeed. */
class ValueSynthesizerTest {

    private final OpenAPI api = new OpenAPI().components(new Components());
    private final ValueSynthesizer values = new ValueSynthesizer(new SchemaResolver(api));

    @Test
    void prefersExamplesDefaultsAndEnums() {
        assertThat(values.valueFor(new StringSchema().example("ex"), "x")).isEqualTo("ex");
        assertThat(values.valueFor(new StringSchema()._default("def"), "x")).isEqualTo("def");
        assertThat(values.valueFor(new StringSchema()._enum(List.of("red", "blue")), "x"))
                .isEqualTo("red");
    }

    @Test
    void respectsFormatsPatternsAndBounds() {
        assertThat((String) values.valueFor(new StringSchema().format("uuid"), "id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat((String) values.valueFor(new StringSchema().format("email"), "contact"))
                .contains("@");
        assertThat((String) values.valueFor(new StringSchema().pattern("^[A-Z]+$"), "code"))
                .matches("^[A-Z]+$");
        assertThat((String) values.valueFor(new StringSchema().minLength(12), "name"))
                .hasSizeGreaterThanOrEqualTo(12);
        assertThat((String) values.valueFor(new StringSchema().maxLength(3), "name"))
                .hasSizeLessThanOrEqualTo(3);
        Number n = (Number)
                values.valueFor(new IntegerSchema().minimum(new BigDecimal(10)).maximum(new BigDecimal(20)), "n");
        assertThat(n.longValue()).isBetween(10L, 20L);
        Number multiple = (Number)
                values.valueFor(new IntegerSchema().minimum(new BigDecimal(7)).multipleOf(new BigDecimal(5)), "n");
        assertThat(multiple.longValue() % 5).isZero();
    }

    @Test
    void buildsObjectsArraysAndSkipsReadOnlyProperties() {
        ObjectSchema schema = new ObjectSchema();
        schema.addProperty("id", new IntegerSchema().readOnly(true))
                .addProperty("tags", new ArraySchema().items(new StringSchema()).minItems(2))
                .addProperty("name", new StringSchema())
                .setRequired(List.of("name"));

        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) values.valueFor(schema, null);

        assertThat(value).containsKey("name").doesNotContainKey("id");
        assertThat((List<?>) value.get("tags")).hasSize(2);
    }

    @Test
    void mergesAllOfAndSetsTheDiscriminatorOfTheChosenAlternative() {
        api.getComponents()
                .addSchemas("Cat", new ObjectSchema().addProperty("meow", new StringSchema()))
                .addSchemas("Dog", new ObjectSchema().addProperty("bark", new StringSchema()));
        ComposedSchema pet = new ComposedSchema();
        pet.setOneOf(List.of(
                new Schema<>().$ref("#/components/schemas/Cat"), new Schema<>().$ref("#/components/schemas/Dog")));
        pet.setDiscriminator(new Discriminator().propertyName("kind").mapping("cat", "#/components/schemas/Cat"));
        ComposedSchema merged = new ComposedSchema();
        merged.setAllOf(List.of(
                new ObjectSchema().addProperty("a", new StringSchema()),
                new ObjectSchema().addProperty("b", new IntegerSchema())));

        assertThat(values.valueFor(pet, null)).isEqualTo(Map.of("meow", "venti", "kind", "cat"));
        assertThat(values.valueFor(merged, null)).isEqualTo(Map.of("a", "venti", "b", 1L));
    }
}
