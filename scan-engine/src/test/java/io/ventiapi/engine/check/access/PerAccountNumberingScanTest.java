package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

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
                responses: {'200': {description: the caller's newest notes}}
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
    /** How many of the caller's newest notes the listing shows. */
    private int listed;

    @Test
    void readingOnesOwnNoteOfTheNumberAnotherUserListsIsNoBola(@TempDir Path dir) throws IOException {
        // Alice's notes are numbered 1 to 3; bob's listing shows his numbers 10 to 6 only.
        assertThat(bolaFindings(dir, 10, 5)).isEmpty();
    }

    @Test
    void readingOnesOwnNoteOfTheNumberAnotherUserCreatedIsNoBola(@TempDir Path dir) throws IOException {
        // Bob's listing shows all his notes, more than the scan creates as alice: the number of a note it creates
        // as alice is one of bob's own.
        assertThat(bolaFindings(dir, 500, 500)).isEmpty();
    }

    /** The BOLA findings when alice has 3 notes, bob more, just as long, and listings show the newest. */
    private List<String> bolaFindings(Path dir, int bobsNotes, int listed) throws IOException {
        this.listed = listed;
        for (int i = 0; i < 3; i++) {
            note("alice", "groceries", "milk, eggs, bread");
        }
        for (int i = 0; i < bobsNotes; i++) {
            note("bob", "groceries", "rice, beans, salt");
        }
        try (TokenApi api = new TokenApi(this::answer)) {
            return api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB).stream()
                    .filter(f -> f.ruleId().startsWith("access.bola"))
                    .map(f -> f.confidence() + " " + f.ruleId() + " " + f.method() + " " + f.pathTemplate() + ": "
                            + f.evidence().explanation())
                    .toList();
        }
    }

    private TokenApi.Answer answer(TokenApi.Call call) {
        List<Map<String, Object>> own = notes.computeIfAbsent(call.user(), user -> new ArrayList<>());
        if (call.is("GET", "/api/notes")) {
            return TokenApi.Answer.ok(own.reversed().stream().limit(listed).toList());
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
