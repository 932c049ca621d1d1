package io.ventiapi.engine;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns {@link ScanEvent}s into NDJSON lines and back. Each line is a JSON object whose first two fields are
 * {@code "v"} (the protocol version, {@value #VERSION}) and {@code "type"}; the rest are the event record's
 * components. The format is documented in {@code docs/engine/events.md}.
 */
public final class ScanEventCodec {

    /** The protocol version written in every line. Bumped only for incompatible changes. */
    public static final int VERSION = 1;

    private static final Map<String, Class<? extends ScanEvent>> TYPES = Map.of(
            "scan.started", ScanEvent.ScanStarted.class,
            "progress", ScanEvent.Progress.class,
            "finding", ScanEvent.FindingReported.class,
            "scan.finished", ScanEvent.ScanFinished.class);

    private final ObjectMapper mapper = JsonMapper.builder().build();

    /** The {@code type} field written for an event. */
    public static String typeOf(ScanEvent event) {
        return switch (event) {
            case ScanEvent.ScanStarted ignored -> "scan.started";
            case ScanEvent.Progress ignored -> "progress";
            case ScanEvent.FindingReported ignored -> "finding";
            case ScanEvent.ScanFinished ignored -> "scan.finished";
        };
    }

    /** One NDJSON line, without the trailing newline. */
    public String toLine(ScanEvent event) {
        ObjectNode line = mapper.createObjectNode();
        line.put("v", VERSION);
        line.put("type", typeOf(event));
        line.setAll((ObjectNode) mapper.valueToTree(event));
        return mapper.writeValueAsString(line);
    }

    /**
     * Parses one line. Unknown fields are ignored so that readers keep working when a minor addition appears.
     *
     * @throws NotAnEvent if the line is not an event of a known type and version (a log line, say)
     * @throws IllegalArgumentException if it is one, but its fields do not make that event
     */
    public ScanEvent parse(String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JacksonException e) {
            // Every event line starts so (toLine): one that does, cut short or garbled, was a report.
            if (line.startsWith("{\"v\":")) {
                throw new IllegalArgumentException("an event line that is not valid JSON", e);
            }
            throw new NotAnEvent("not JSON");
        }
        if (node == null || !node.isObject() || node.path("v").asInt(-1) != VERSION) {
            throw new NotAnEvent("not a version " + VERSION + " scan event: " + abbreviate(line));
        }
        Class<? extends ScanEvent> type = TYPES.get(node.path("type").asString(""));
        if (type == null) {
            throw new NotAnEvent("unknown event type in: " + abbreviate(line));
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove("v");
        fields.remove("type");
        try {
            return mapper.readerFor(type)
                    .without(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(fields);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "a " + node.path("type").asString() + " event whose fields do not parse", e);
        }
    }

    /**
     * A line that is no event this version knows: what else a scanner prints (a log line, a warning),
     * or an event type of a later version.
     */
    public static final class NotAnEvent extends IllegalArgumentException {
        NotAnEvent(String message) {
            super(message);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
