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
 * Clean-up removes what the scan created, as the identity that created it, and nothing else: on an API where only
 * an object's owner (or an administrator) deletes it, a POST that answers with an existing object of someone else
 * (get-or-create) does not make that object the scan's.
 */
class CleanUpScanTest {

    /** Created by a POST of one text property, read and deleted by id. */
    private static String collection(String name, String idParameter, String property, String example) {
        return """
                /api/%1$s:
                  post:
                    operationId: create-%1$s
                    requestBody:
                      required: true
                      content:
                        application/json:
                          schema:
                            type: object
                            required: [%3$s]
                            properties:
                              %3$s: {type: string, example: %4$s}
                    responses: {'200': {description: the object}}
                /api/%1$s/{%2$s}:
                  get:
                    operationId: get-%1$s
                    parameters:
                      - {name: %2$s, in: path, required: true, schema: {type: integer}}
                    responses: {'200': {description: the object}, '404': {description: not found}}
                  delete:
                    operationId: delete-%1$s
                    parameters:
                      - {name: %2$s, in: path, required: true, schema: {type: integer}}
                    responses: {'200': {description: deleted}, '404': {description: not yours}}
                """.formatted(name, idParameter, property, example);
    }

    /** Tags: a POST gets the tag of that label, creating it if there is none. Notes answer in a data envelope. */
    private static final String PATHS =
            collection("tags", "tagId", "label", "urgent") + collection("notes", "noteId", "text", "groceries");

    /** Objects by id, each with its owner. */
    private final Map<Integer, Map<String, Object>> tags = new ConcurrentHashMap<>();

    private final Map<Integer, Map<String, Object>> notes = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);

    @Test
    void aSafeScanDeletesWhatEachIdentityCreatedAndNotACustomersObject(@TempDir Path dir) throws IOException {
        int customers = nextId.getAndIncrement();
        tags.put(customers, Map.of("id", customers, "owner", "carol", "label", "urgent"));

        try (TokenApi api = new TokenApi(this::answer)) {
            api.scan(
                    dir, TokenApi.spec(PATHS), ScanProfile.SAFE, TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN);
        }

        assertThat(tags).as("carol's tag, which the tag POST answered with").containsKey(customers);
        assertThat(tags.values())
                .as("tags the scan's identities created")
                .allMatch(tag -> tag.get("owner").equals("carol"));
        assertThat(notes)
                .as("notes the scan created, answered inside a data envelope")
                .isEmpty();
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("POST", "/api/tags")) {
            String label = call.text("label", "");
            return TokenApi.Answer.ok(tags.values().stream()
                    .filter(tag -> tag.get("label").equals(label))
                    .findFirst()
                    .orElseGet(() -> created(tags, Map.of("owner", call.user(), "label", label))));
        }
        if (call.is("POST", "/api/notes")) {
            return new TokenApi.Answer(
                    201, Map.of("data", created(notes, Map.of("owner", call.user(), "text", call.text("text", "")))));
        }
        var objects = call.itemOf("/api/tags") != null ? tags : notes;
        String item = call.itemOf("/api/tags") != null ? call.itemOf("/api/tags") : call.itemOf("/api/notes");
        var object = item == null || !item.matches("\\d{1,9}") ? null : objects.get(Integer.valueOf(item));
        if (object == null
                || !(object.get("owner").equals(call.user()) || call.user().equals("admin"))) {
            return TokenApi.Answer.notFound();
        }
        if (call.method().equals("DELETE")) {
            objects.remove(Integer.valueOf(item));
            return TokenApi.Answer.ok(Map.of());
        }
        return TokenApi.Answer.ok(object);
    }

    private Map<String, Object> created(Map<Integer, Map<String, Object>> objects, Map<String, Object> fields) {
        int id = nextId.getAndIncrement();
        var object = new java.util.HashMap<String, Object>(fields);
        object.put("id", id);
        objects.put(id, Map.copyOf(object));
        return objects.get(id);
    }
}
