package io.ventiapi.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests go on the wire as the document describes them, and payloads stay data. */
class SynthesizedRequestTest {

    private static final PlannedOperation FILE = new PlannedOperation(
            "getFile", "GET", "/files/{name}/raw", List.of(), null, List.of(), List.of(), List.of());

    private static SynthesizedRequest request(Object body, String mediaType) {
        Map<String, String> path = new LinkedHashMap<>();
        path.put("name", "readme.txt");
        return new SynthesizedRequest(FILE, path, Map.of("q", "a&b"), Map.of(), Map.of(), body, mediaType);
    }

    @Test
    void encodesPathValuesAsOneSegmentAndQueryValuesAsData() {
        SynthesizedRequest traversal = request(null, null).with(ParameterLocation.PATH, "name", "../../etc/passwd");

        assertThat(traversal.pathAndQuery()).isEqualTo("/files/..%2F..%2Fetc%2Fpasswd/raw?q=a%26b");
        assertThat(request(null, null).pathAndQuery()).isEqualTo("/files/readme.txt/raw?q=a%26b");
    }

    @Test
    void writesJsonFormAndMultipartBodies() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "Rex & co");
        fields.put("age", 3);

        assertThat(new String(request(fields, "application/json").bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"Rex & co\",\"age\":3}");
        assertThat(new String(
                        request(fields, "application/x-www-form-urlencoded").bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo("name=Rex+%26+co&age=3");
        SynthesizedRequest multipart = request(fields, "multipart/form-data");
        assertThat(multipart.contentType()).startsWith("multipart/form-data; boundary=");
        String boundary =
                multipart.contentType().substring(multipart.contentType().indexOf('=') + 1);
        assertThat(new String(multipart.bodyBytes(), StandardCharsets.UTF_8))
                .contains("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nRex & co\r\n")
                .endsWith("--" + boundary + "--\r\n");
    }

    @Test
    void changesOneBodyPropertyAndKeepsTheOthers() {
        SynthesizedRequest base = request(Map.of("email", "a@b.c", "limit", 5), "application/json");

        SynthesizedRequest injected = base.with(ParameterLocation.BODY, "email", Map.of("$ne", "x"));

        assertThat(injected.body()).isEqualTo(Map.of("email", Map.of("$ne", "x"), "limit", 5));
        assertThat(base.body()).isEqualTo(Map.of("email", "a@b.c", "limit", 5));
        assertThat(base.scalarBodyProperties()).containsExactlyInAnyOrder("email", "limit");
    }
}
