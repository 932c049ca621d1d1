package io.ventiapi.engine.testapi;

import io.ventiapi.engine.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The planted flaws of the vulnerable test API, read from {@code demo-target/ground-truth.json}. */
public record GroundTruth(List<Flaw> flaws) {

    /** One planted flaw; null method, path or parameter match anything. */
    public record Flaw(String ruleId, String method, String path, String parameter) {

        public boolean matches(Finding finding) {
            return ruleId.equals(finding.ruleId())
                    && (method == null || method.equals(finding.method()))
                    && (path == null || path.equals(finding.pathTemplate()))
                    && (parameter == null || Objects.equals(parameter, finding.parameter()));
        }

        @Override
        public String toString() {
            return ruleId + " " + method + " " + path + " " + parameter;
        }
    }

    public static GroundTruth load() throws IOException {
        try (InputStream in = GroundTruth.class.getResourceAsStream("/demo-target/ground-truth.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            List<Flaw> flaws = new ArrayList<>();
            for (JsonNode flaw : root.path("flaws")) {
                flaws.add(new Flaw(
                        flaw.path("ruleId").asString(),
                        flaw.path("method").isNull()
                                ? null
                                : flaw.path("method").asString(),
                        flaw.path("path").isNull() ? null : flaw.path("path").asString(),
                        flaw.path("parameter").isNull()
                                ? null
                                : flaw.path("parameter").asString()));
            }
            return new GroundTruth(flaws);
        }
    }
}
