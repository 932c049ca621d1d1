package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonEncoding;
import tools.jackson.databind.json.JsonMapper;

/** GraphQL responses written by {@link ResponseWriter} are exactly what Jackson would have written. */
class ResponseWriterTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void aPageOfFindingsIsWrittenAsJacksonWritesIt() {
        var edges = new ArrayList<Object>();
        for (int i = 0; i < 50; i++) {
            var node = new LinkedHashMap<String, Object>();
            node.put("id", UUID.randomUUID().toString());
            node.put("title", "SQL injection in \"q\" \\ <script>\u2028 é ✓ \ud83d\ude00 \u0001");
            node.put("severity", "HIGH");
            node.put("cwe", i % 2 == 0 ? 89 : null);
            node.put("lastSeenAt", Instant.ofEpochSecond(1_700_000_000L + i).toString());
            node.put("project", Map.of("id", "p" + i, "name", "Shop"));
            node.put("tags", List.of());
            var edge = new LinkedHashMap<String, Object>();
            edge.put("cursor", "SyZyYW5rPWkz");
            edge.put("node", node);
            edges.add(edge);
        }
        var findings = new LinkedHashMap<String, Object>();
        findings.put("edges", edges);
        findings.put("pageInfo", Map.of("hasNextPage", true, "endCursor", "SyZpZD11"));
        var data = new LinkedHashMap<String, Object>();
        data.put("findings", findings);
        data.put("total", 1_000_000L);
        data.put("ratio", 1.0 / 3);
        data.put("nothing", null);

        assertSameAsJackson(
                ExecutionResult.newExecutionResult().data(data).build().toSpecification());
    }

    @Test
    void errorsAndExtensionsAreWrittenAsJacksonWritesThem() {
        var error = GraphqlErrorBuilder.newError()
                .message("project not found: %s", "p1")
                .location(new SourceLocation(2, 7))
                .path(ResultPath.parse("/project/scans[3]/id"))
                .extensions(Map.of("classification", "NOT_FOUND", "field", "id"))
                .build();
        var result = ExecutionResult.newExecutionResult()
                .data(null)
                .addError(error)
                .extensions(new LinkedHashMap<>(Map.of("cost", 12)))
                .build();

        assertSameAsJackson(result.toSpecification());
    }

    @Test
    void valuesOutsideAGraphQlResponseAreLeftToJackson() {
        var odd = new LinkedHashMap<Object, Object>();
        odd.put("decimal", new BigDecimal("12.50"));
        odd.put("big", new BigInteger("123456789012345678901234567890"));
        odd.put("short", (short) 7);
        odd.put("float", 1.5f);
        odd.put("array", new int[] {1, 2});
        odd.put("set", new LinkedHashSet<>(List.of("a", "b")));
        odd.put("optional", Optional.empty());
        odd.put("record", new Point(1, "two"));
        odd.put("numberKeys", new TreeMap<>(Map.of(2, "b", 1, "a")));
        odd.put("listWithNull", Arrays.asList("x", null));

        assertSameAsJackson(odd);
    }

    record Point(int x, String y) {}

    private void assertSameAsJackson(Object value) {
        var out = new ByteArrayOutputStream();
        try (var generator = mapper.createGenerator(out, JsonEncoding.UTF8)) {
            ResponseWriter.write(generator, value, mapper);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(mapper.writeValueAsString(value));
    }
}
