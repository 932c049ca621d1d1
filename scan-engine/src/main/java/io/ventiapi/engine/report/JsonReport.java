package io.ventiapi.engine.report;

import io.ventiapi.engine.ScanResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scan result as one JSON document: {@code {"v": 1, "scan": {...ScanResult...}}}, with findings in the
 * same shape as the {@code finding} events.
 */
public final class JsonReport {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonReport() {}

    public static String render(ScanResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", 1);
        root.set("scan", JSON.valueToTree(result));
        return JSON.writeValueAsString(root);
    }

    public static void write(ScanResult result, Path file) throws IOException {
        Files.writeString(file, render(result));
    }
}
