package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.http.ProbeResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreatedIdReaderTest {

    private static final URI NOTES = URI.create("http://127.0.0.1:8080/api/notes");

    private static ProbeResponse created(String json, String location) {
        Map<String, List<String>> headers = location == null
                ? Map.of("content-type", List.of("application/json"))
                : Map.of("content-type", List.of("application/json"), "location", List.of(location));
        return new ProbeResponse(null, 201, headers, json.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(5));
    }

    private static Optional<String> read(String json, String location) {
        return CreatedIdReader.read(created(json, location), NOTES, "noteRef");
    }

    @Test
    void takesTheLastSegmentOfALocationUnderTheCollectionOnTheTargetsOrigin() {
        assertThat(read("", "/api/notes/7")).contains("7");
        assertThat(read("", "http://127.0.0.1:8080/api/notes/a%20b")).contains("a b");
        assertThat(read("", "notes/8")).contains("8");
        assertThat(read("{\"id\": 9}", "/api/notes/7/")).contains("7");
    }

    @Test
    void aLocationElsewhereNamesNoObjectOfTheScan() {
        assertThat(read("", "http://other.example:8080/api/notes/7")).isEmpty();
        assertThat(read("", "https://127.0.0.1:8080/api/notes/7")).isEmpty();
        assertThat(read("", "/api/notes/7/comments/1")).isEmpty();
        assertThat(read("", "/api/notesarchive/7")).isEmpty();
        assertThat(read("", "/api/tags/7")).isEmpty();
        assertThat(read("{\"id\": 9}", "http://other.example/api/notes/7")).contains("9");
    }

    @Test
    void readsTheBodyByTheItemParameterThenIdThenUuidThenTheResourcesId() {
        assertThat(read("{\"id\": 1, \"noteRef\": \"r-2\"}", null)).contains("r-2");
        assertThat(read("{\"uuid\": \"u-3\", \"_id\": \"64b0\"}", null)).contains("64b0");
        assertThat(read("{\"note_id\": 4, \"uuid\": \"u-3\"}", null)).contains("u-3");
        assertThat(read("{\"userId\": 5, \"noteId\": 6}", null)).contains("6");
        assertThat(read("{\"success\": true, \"data\": {\"NoteID\": 7}}", null)).contains("7");
        assertThat(read("{\"userId\": 5, \"id\": null, \"status\": \"created\"}", null))
                .isEmpty();
        assertThat(read("{\"id\": \"  \"}", null)).isEmpty();
    }

    @Test
    void namesTheResourceByItsCollectionsSingular() {
        assertThat(CreatedIdReader.singular("notes")).isEqualTo("note");
        assertThat(CreatedIdReader.singular("categories")).isEqualTo("category");
        assertThat(CreatedIdReader.singular("boxes")).isEqualTo("box");
        assertThat(CreatedIdReader.singular("addresses")).isEqualTo("address");
        assertThat(CreatedIdReader.singular("status")).isEqualTo("status");
        assertThat(CreatedIdReader.singular("inventory")).isEqualTo("inventory");
        assertThat(CreatedIdReader.read(
                        created("{\"categoryId\": 3}", null), URI.create("http://127.0.0.1:8080/api/categories"), null))
                .contains("3");
    }
}
