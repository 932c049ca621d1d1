package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory check replays documented requests on older API versions ({@code /api/v1/notes} for a documented
 * {@code /api/v2/notes}). In SAFE a create is never replayed there: the older version is live here, and no
 * documented DELETE could remove what it creates.
 */
class OlderVersionReplayScanTest {

    private static final String NOTES = """
            /api/v2/notes:
              post:
                operationId: createNote
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [text]
                        properties:
                          text: {type: string, example: groceries}
                responses: {'201': {description: created}}
            /api/v2/notes/{noteId}:
              get:
                operationId: getNote
                parameters:
                  - {name: noteId, in: path, required: true, schema: {type: integer}}
                responses: {'200': {description: the note}, '404': {description: not found}}
              delete:
                operationId: deleteNote
                parameters:
                  - {name: noteId, in: path, required: true, schema: {type: integer}}
                responses: {'204': {description: deleted}, '404': {description: not yours}}
            """;

    private final Map<String, Map<Integer, String>> notesByVersion = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();

    @Test
    void aSafeScanReplaysNoCreateOnAnOlderVersion(@TempDir Path dir) throws IOException {
        try (TokenApi api = new TokenApi(this::answer)) {
            api.scan(
                    dir, TokenApi.spec(NOTES), ScanProfile.SAFE, TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN);
        }

        assertThat(posts).as("creates, by version").containsKey("v2").doesNotContainKey("v1");
        assertThat(notesByVersion.get("v2")).as("notes left on /api/v2").isEmpty();
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        for (String version : new String[] {"v1", "v2"}) {
            String collection = "/api/" + version + "/notes";
            Map<Integer, String> notes = notesByVersion.computeIfAbsent(version, k -> new ConcurrentHashMap<>());
            if (call.is("POST", collection)) {
                posts.computeIfAbsent(version, k -> new AtomicInteger()).incrementAndGet();
                int id = nextId.getAndIncrement();
                notes.put(id, call.user());
                return new TokenApi.Answer(201, Map.of("id", id, "text", call.text("text", "")));
            }
            String item = call.itemOf(collection);
            if (item != null && item.matches("\\d{1,9}") && notes.containsKey(Integer.valueOf(item))) {
                if (!notes.get(Integer.valueOf(item)).equals(call.user())) {
                    return TokenApi.Answer.notFound();
                }
                if (call.method().equals("DELETE")) {
                    notes.remove(Integer.valueOf(item));
                    return new TokenApi.Answer(204, null);
                }
                return TokenApi.Answer.ok(Map.of("id", Integer.valueOf(item)));
            }
        }
        return TokenApi.Answer.notFound();
    }
}
