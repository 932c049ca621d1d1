package io.ventiapi.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.http.ProbeResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void aListingSaysItShowsAPageByANextPageAFlagOrATotalAboveWhatItHolds() {
        assertThat(JsonValues.showsPart(JsonAnswers.ok("{\"items\": [{\"id\": 1}], \"total\": 7}")))
                .isTrue();
        assertThat(JsonValues.showsPart(JsonAnswers.ok("{\"data\": [{\"id\": 1}], \"next_cursor\": \"abc\"}")))
                .isTrue();
        assertThat(JsonValues.showsPart(JsonAnswers.ok("{\"data\": [{\"id\": 1}], \"hasMore\": true}")))
                .isTrue();
        assertThat(JsonValues.showsPart(
                        JsonAnswers.ok("{\"data\": [{\"id\": 1}], \"meta\": {\"pagination\": 1, \"totalCount\": 40}}")))
                .isTrue();
        assertThat(JsonValues.showsPart(
                        JsonAnswers.ok("{\"data\": [{\"id\": 1}], \"links\": {\"next\": \"/x?page=2\"}}")))
                .isTrue();
        assertThat(JsonValues.showsPart(new ProbeResponse(
                        null,
                        200,
                        Map.of("link", List.of("</orders?page=2>; rel=\"next\"")),
                        "[{\"id\": 1}]".getBytes(StandardCharsets.UTF_8),
                        Duration.ofMillis(5))))
                .isTrue();
    }

    @Test
    void aListingOfTheWholeCollectionOrOfItsLastPageShowsAll() {
        assertThat(JsonValues.showsPart(JsonAnswers.ok("[{\"id\": 1}, {\"id\": 2}]")))
                .isFalse();
        assertThat(JsonValues.showsPart(JsonAnswers.ok("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"total\": 2}")))
                .isFalse();
        assertThat(JsonValues.showsPart(JsonAnswers.ok(
                        "{\"data\": [{\"id\": 1}], \"next\": null, \"hasMore\": false, \"nextCursor\": \"\"}")))
                .isFalse();
        assertThat(JsonValues.showsPart(JsonAnswers.ok("{\"id\": 1, \"count\": 3}")))
                .as("an object of its own, not an envelope")
                .isFalse();
    }
}
