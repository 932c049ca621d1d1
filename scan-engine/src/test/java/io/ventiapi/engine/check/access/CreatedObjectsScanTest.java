package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A SAFE scan leaves nothing it created behind, whatever the API calls the id of a created object: {@code _id},
 * {@code uuid}, {@code noteId} or {@code note_id}, the item path parameter's own name, or only a {@code Location}
 * header. Where a create answers with no id at all, SAFE creates nothing more than its one valid request.
 */
class CreatedObjectsScanTest {

    /** How the notes API names a created note, and the name of the item path parameter it documents. */
    enum IdShape {
        MONGO("noteId", id -> new TokenApi.Answer(201, Map.of("_id", id, "ok", true))),
        UUID_FIELD("noteId", id -> new TokenApi.Answer(201, Map.of("uuid", id, "ok", true))),
        RESOURCE_ID("id", id -> new TokenApi.Answer(201, Map.of("noteId", id, "ok", true))),
        RESOURCE_SNAKE_ID("id", id -> new TokenApi.Answer(201, Map.of("note_id", id, "ok", true))),
        PATH_PARAMETER("ref", id -> new TokenApi.Answer(201, Map.of("data", Map.of("ref", id, "ok", true)))),
        LOCATION_ONLY("noteId", id -> new TokenApi.Answer(201, null, Map.of("Location", "/api/notes/" + id)));

        final String parameter;
        final Function<String, TokenApi.Answer> created;

        IdShape(String parameter, Function<String, TokenApi.Answer> created) {
            this.parameter = parameter;
            this.created = created;
        }
    }

    /** Notes created with a text, read and deleted by their owner (or an administrator). */
    private static String notes(String parameter) {
        return """
                /api/notes:
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
                /api/notes/{%1$s}:
                  get:
                    operationId: getNote
                    parameters:
                      - {name: %1$s, in: path, required: true, schema: {type: string}}
                    responses: {'200': {description: the note}, '404': {description: not found}}
                  delete:
                    operationId: deleteNote
                    parameters:
                      - {name: %1$s, in: path, required: true, schema: {type: string}}
                    responses: {'204': {description: deleted}, '404': {description: not yours}}
                """.formatted(parameter);
    }

    /** Notes by id, each with its owner and text. */
    private final Map<String, Map<String, Object>> notes = new ConcurrentHashMap<>();

    /** Notes created, by owner. */
    private final Map<String, AtomicInteger> createdBy = new ConcurrentHashMap<>();

    @ParameterizedTest
    @EnumSource(IdShape.class)
    void aSafeScanDeletesEveryObjectItCreated(IdShape shape, @TempDir Path dir) throws IOException {
        try (TokenApi api = new TokenApi(call -> answer(call, shape.created))) {
            api.scan(
                    dir,
                    TokenApi.spec(notes(shape.parameter)),
                    ScanProfile.SAFE,
                    TestApiScan.ALICE,
                    TestApiScan.BOB,
                    TestApiScan.ADMIN);
        }

        assertThat(createdBy).as("notes the scan created, by owner").isNotEmpty();
        assertThat(notes.values())
                .as("notes left after the scan")
                .extracting(note -> note.get("text"))
                .isEmpty();
    }

    @Test
    void whereACreateAnswersWithNoIdSafeCreatesOnlyItsValidRequest(@TempDir Path dir) throws IOException {
        // carol's note; a Location naming it on another origin does not make it the scan's.
        notes.put("100", Map.of("owner", "carol", "text", "carol's"));
        TestApiScan.Outcome outcome;
        try (TokenApi api = new TokenApi(call -> answer(
                call,
                id -> new TokenApi.Answer(
                        201, Map.of("status", "created"), Map.of("Location", "http://other.example/api/notes/100"))))) {
            outcome = api.run(
                    dir,
                    TokenApi.spec(notes("noteId")),
                    ScanProfile.SAFE,
                    TestApiScan.ALICE,
                    TestApiScan.BOB,
                    TestApiScan.ADMIN);
        }

        assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
        assertThat(createdBy).as("notes the scan created, by owner").isNotEmpty();
        assertThat(createdBy.values())
                .as("notes the scan created, by owner: nothing could delete them")
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(notes).as("carol's note").containsKey("100");
        assertThat(outcome.result().notes())
                .as("what the scan says of it")
                .anySatisfy(note -> assertThat(note).contains("POST /api/notes").contains("no id"));
    }

    private TokenApi.Answer answer(TokenApi.Call call, Function<String, TokenApi.Answer> created) {
        if (call.is("POST", "/api/notes")) {
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            Map<String, Object> note = new HashMap<>();
            note.put("owner", call.user());
            note.put("text", call.text("text", ""));
            notes.put(id, Map.copyOf(note));
            createdBy.computeIfAbsent(call.user(), k -> new AtomicInteger()).incrementAndGet();
            return created.apply(id);
        }
        String id = call.itemOf("/api/notes");
        Map<String, Object> note = id == null ? null : notes.get(id);
        if (note == null
                || !(note.get("owner").equals(call.user()) || call.user().equals("admin"))) {
            return TokenApi.Answer.notFound();
        }
        if (call.method().equals("DELETE")) {
            notes.remove(id);
            return new TokenApi.Answer(204, null);
        }
        return TokenApi.Answer.ok(note);
    }
}
