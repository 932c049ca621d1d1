package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notes numbered per account: {@code /api/notes/4} is always the caller's own note 4. Bob asking for the number
 * of alice's note gets his own note, shaped like hers; that is no BOLA.
 */
class PerAccountNumberingScanTest {

    private static final String SPEC = TokenApi.spec("""
            /api/notes:
              get:
                operationId: listNotes
                responses: {'200': {description: the caller's five newest notes}}
              post:
                operationId: createNote
                requestBody:
                  required: true
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [title, text]
                        properties:
                          title: {type: string, example: groceries}
                          text: {type: string, example: 'milk, eggs, bread'}
                responses: {'201': {description: created}}
            /api/notes/{noteId}:
              get:
                operationId: getNote
                parameters:
                  - {name: noteId, in: path, required: true, schema: {type: integer}}
                responses: {'200': {description: the caller's note of that number}, '404': {description: not found}}
            """);

    /** Each user's notes, by their number in that user's account. */
    private final Map<String, List<Map<String, Object>>> notes = new HashMap<>();

    @Test
    void readingOnesOwnNoteOfTheSameNumberIsNoBola(@TempDir Path dir) throws IOException {
        // Bob has more notes than alice: every number of hers is also one of his.
        for (int i = 0; i < 3; i++) {
            note("alice", "groceries", "milk, eggs, bread");
        }
        for (int i = 0; i < 10; i++) {
            note("bob", "groceries", "milk, eggs, bread");
        }
        List<Finding> findings;
        try (TokenApi api = new TokenApi(this::answer)) {
            findings = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
        }
        assertThat(findings)
                .filteredOn(f -> f.ruleId().startsWith("access.bola"))
                .map(f -> f.confidence() + " " + f.ruleId() + " " + f.method() + " " + f.pathTemplate() + ": "
                        + f.evidence().explanation())
                .isEmpty();
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        List<Map<String, Object>> own = notes.computeIfAbsent(call.user(), user -> new ArrayList<>());
        if (call.is("GET", "/api/notes")) {
            return TokenApi.Answer.ok(own.reversed().stream().limit(5).toList());
        }
        if (call.is("POST", "/api/notes")) {
            return new TokenApi.Answer(201, note(call.user(), call.text("title", "untitled"), call.text("text", "")));
        }
        String number = call.itemOf("/api/notes");
        if (number == null || !number.matches("\\d{1,6}") || !call.method().equals("GET")) {
            return null;
        }
        int index = Integer.parseInt(number) - 1;
        return index >= 0 && index < own.size() ? TokenApi.Answer.ok(own.get(index)) : null;
    }

    private Map<String, Object> note(String user, String title, String text) {
        List<Map<String, Object>> own = notes.computeIfAbsent(user, u -> new ArrayList<>());
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("id", own.size() + 1);
        note.put("title", title);
        note.put("text", text);
        own.add(note);
        return note;
    }
}
