package io.ventiapi.engine.synth;

import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import io.ventiapi.engine.spec.SchemaResolver;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a plausible, schema-valid value from a schema: documented examples, defaults and enums first, then
 * type, format, pattern and bounds. Values are plain Java ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}) ready to be serialized as JSON or form fields.
 */
public final class ValueSynthesizer {

    private static final int MAX_DEPTH = 6;
    private static final List<String> PATTERN_CANDIDATES =
            List.of("abc", "abc123", "ABC", "A1", "a", "1", "123", "example", "abc-123", "2024-01-01", "a@b.co");

    private final SchemaResolver resolver;

    public ValueSynthesizer(SchemaResolver resolver) {
        this.resolver = resolver;
    }

    /** A value for {@code schema}; {@code nameHint} (the property or parameter name) refines strings. */
    public Object valueFor(Schema<?> schema, String nameHint) {
        return valueFor(schema, nameHint, 0);
    }

    private Object valueFor(Schema<?> raw, String nameHint, int depth) {
        Schema<?> schema = resolver.resolve(raw);
        if (schema == null) {
            return stringFor(null, nameHint);
        }
        if (schema.getExample() != null) {
            return PlainValues.of(schema.getExample());
        }
        if (schema.getExamples() != null && !schema.getExamples().isEmpty()) {
            return PlainValues.of(schema.getExamples().getFirst());
        }
        if (schema.getConst() != null) {
            return PlainValues.of(schema.getConst());
        }
        if (schema.getDefault() != null) {
            return PlainValues.of(schema.getDefault());
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return PlainValues.of(
                    schema.getEnum().stream().filter(v -> v != null).findFirst().orElse(null));
        }
        if (depth > MAX_DEPTH) {
            return null;
        }
        if (schema.getAllOf() != null && !schema.getAllOf().isEmpty()) {
            Map<String, Object> merged = new LinkedHashMap<>();
            Object last = null;
            for (Schema<?> part : schema.getAllOf()) {
                last = valueFor(part, nameHint, depth + 1);
                if (last instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> merged.put(String.valueOf(k), v));
                }
            }
            if (schema.getProperties() != null) {
                merged.putAll(objectFor(schema, depth));
            }
            return merged.isEmpty() ? last : merged;
        }
        List<Schema> alternatives =
                schema.getOneOf() != null && !schema.getOneOf().isEmpty() ? schema.getOneOf() : schema.getAnyOf();
        if (alternatives != null && !alternatives.isEmpty()) {
            Schema<?> chosen = alternatives.stream()
                    .filter(s -> !SchemaResolver.types(resolver.resolve(s)).contains("null"))
                    .findFirst()
                    .orElse(alternatives.getFirst());
            Object value = valueFor(chosen, nameHint, depth + 1);
            Discriminator discriminator = schema.getDiscriminator();
            if (discriminator != null && value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                object.put(discriminator.getPropertyName(), discriminatorValue(discriminator, chosen));
            }
            return value;
        }
        Set<String> types = SchemaResolver.types(schema);
        String type = types.stream().filter(t -> !t.equals("null")).findFirst().orElse(null);
        if (type == null) {
            type = schema.getProperties() != null ? "object" : schema.getItems() != null ? "array" : "string";
        }
        return switch (type) {
            case "object" -> objectFor(schema, depth);
            case "array" -> arrayFor(schema, nameHint, depth);
            case "integer" -> integerFor(schema, nameHint);
            case "number" -> numberFor(schema);
            case "boolean" -> Boolean.TRUE;
            default -> stringFor(schema, nameHint);
        };
    }

    private static String discriminatorValue(Discriminator discriminator, Schema<?> chosen) {
        String ref = chosen.get$ref();
        if (discriminator.getMapping() != null) {
            for (Map.Entry<String, String> entry : discriminator.getMapping().entrySet()) {
                if (entry.getValue().equals(ref)) {
                    return entry.getKey();
                }
            }
        }
        return ref == null ? "default" : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private Map<String, Object> objectFor(Schema<?> schema, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (schema.getProperties() == null) {
            return object;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> property : schema.getProperties().entrySet()) {
            Schema<?> resolved = resolver.resolve(property.getValue());
            if (resolved != null && Boolean.TRUE.equals(resolved.getReadOnly())) {
                continue;
            }
            // Deep optional properties add little coverage and make circular schemas explode.
            if (depth >= 2 && !required.contains(property.getKey())) {
                continue;
            }
            Object value = valueFor(property.getValue(), property.getKey(), depth + 1);
            if (value != null) {
                object.put(property.getKey(), value);
            }
        }
        return object;
    }

    private List<Object> arrayFor(Schema<?> schema, String nameHint, int depth) {
        int count = Math.max(1, schema.getMinItems() == null ? 1 : schema.getMinItems());
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < Math.min(count, 3); i++) {
            Object item = valueFor(schema.getItems(), nameHint, depth + 1);
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private static Number integerFor(Schema<?> schema, String nameHint) {
        long min = schema.getMinimum() == null
                ? 1
                : schema.getMinimum()
                        .setScale(0, java.math.RoundingMode.CEILING)
                        .longValue();
        if (Boolean.TRUE.equals(schema.getExclusiveMinimum()) || schema.getExclusiveMinimumValue() != null) {
            BigDecimal exclusive =
                    schema.getExclusiveMinimumValue() != null ? schema.getExclusiveMinimumValue() : schema.getMinimum();
            min = exclusive.longValue() + 1;
        }
        long value = Math.max(min, 1);
        if (schema.getMaximum() != null && value > schema.getMaximum().longValue()) {
            value = schema.getMaximum().longValue();
        }
        if (schema.getMultipleOf() != null && schema.getMultipleOf().signum() > 0) {
            long step = schema.getMultipleOf().longValue();
            value = step == 0 ? value : ((value + step - 1) / step) * step;
        }
        return value;
    }

    private static Number numberFor(Schema<?> schema) {
        double value = schema.getMinimum() == null ? 1.5 : schema.getMinimum().doubleValue() + 0.5;
        if (schema.getMaximum() != null && value > schema.getMaximum().doubleValue()) {
            value = schema.getMaximum().doubleValue();
        }
        return value;
    }

    private static String stringFor(Schema<?> schema, String nameHint) {
        String format = schema == null || schema.getFormat() == null
                ? ""
                : schema.getFormat().toLowerCase(Locale.ROOT);
        String hint = nameHint == null ? "" : nameHint.toLowerCase(Locale.ROOT);
        String value = switch (format) {
            case "uuid" -> "3fa85f64-5717-4562-b3fc-2c963f66afa6";
            case "date-time" -> "2024-01-01T00:00:00Z";
            case "date" -> "2024-01-01";
            case "time" -> "12:00:00";
            case "email" -> "venti.scan@example.com";
            case "uri", "url" -> "https://example.com/";
            case "hostname" -> "example.com";
            case "ipv4" -> "192.0.2.1";
            case "ipv6" -> "2001:db8::1";
            case "byte" -> "dmVudGk=";
            case "password" -> "Venti-Scan-1!";
            default ->
                hint.contains("email")
                        ? "venti.scan@example.com"
                        : hint.endsWith("url") || hint.endsWith("uri")
                                ? "https://example.com/"
                                : hint.contains("phone")
                                        ? "+15555550100"
                                        : hint.contains("date") ? "2024-01-01" : "venti";
        };
        if (schema == null) {
            return value;
        }
        if (schema.getPattern() != null && !matches(schema.getPattern(), value)) {
            String fallback = value;
            value = PatternSampler.sample(schema.getPattern())
                    .or(() -> PATTERN_CANDIDATES.stream()
                            .filter(candidate -> matches(schema.getPattern(), candidate))
                            .findFirst())
                    .orElse(fallback);
        }
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        int max = schema.getMaxLength() == null ? Integer.MAX_VALUE : schema.getMaxLength();
        StringBuilder padded = new StringBuilder(value);
        while (padded.length() < min) {
            padded.append('x');
        }
        return padded.length() > max ? padded.substring(0, max) : padded.toString();
    }

    private static boolean matches(String pattern, String candidate) {
        try {
            return Pattern.compile(pattern).matcher(candidate).find();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
