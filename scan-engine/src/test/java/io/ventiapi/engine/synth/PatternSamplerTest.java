package io.ventiapi.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pattern-constrained strings get values the API will accept, or none when the pattern is too complex. */
class PatternSamplerTest {

    @Test
    void samplesTheShapesSchemasUse() {
        assertThat(PatternSampler.sample("^[A-Z]{3}-\\d{4}$")).hasValue("AAA-7777");
        assertThat(PatternSampler.sample("^\\w+@\\w+\\.com$"))
                .hasValueSatisfying(v -> assertThat(v).matches("\\w+@\\w+\\.com"));
        assertThat(PatternSampler.sample("^(ab)+c?$"))
                .hasValueSatisfying(v -> assertThat(v).matches("(ab)+c?"));
        assertThat(PatternSampler.sample("^[a-z0-9_-]{8,32}$"))
                .hasValueSatisfying(v -> assertThat(v).hasSize(8));
        assertThat(PatternSampler.sample("sk_(live|test)_\\w{4}")).isEmpty();
    }

    @Test
    void usesSamplesForPatternedStringSchemas() {
        var values = new ValueSynthesizer(
                new io.ventiapi.engine.spec.SchemaResolver(new io.swagger.v3.oas.models.OpenAPI()));

        assertThat(values.valueFor(
                        new io.swagger.v3.oas.models.media.StringSchema().pattern("^ORD-\\d{6}$"), "orderCode"))
                .isEqualTo("ORD-777777");
    }
}
