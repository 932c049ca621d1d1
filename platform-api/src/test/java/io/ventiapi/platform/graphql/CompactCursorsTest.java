package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;

class CompactCursorsTest {

    private final CompactCursors cursors = new CompactCursors();

    @Test
    void keysetPositionsRoundTripWithTheirTypesAndNoClassNames() {
        var keys = new LinkedHashMap<String, Object>();
        keys.put("rank", 4);
        keys.put("seq", 9_000_000_000L);
        keys.put("createdAt", Instant.parse("2026-11-26T17:00:00.123456Z"));
        keys.put("id", UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
        keys.put("tenant", "a&b=c");

        var cursor = cursors.toCursor(ScrollPosition.forward(keys));
        var back = (KeysetScrollPosition) cursors.fromCursor(cursor);

        assertThat(back.getKeys()).containsExactlyEntriesOf(keys);
        assertThat(cursor).doesNotContain("java.").hasSizeLessThan(160);
    }

    @Test
    void textWithTheCursorsOwnSyntaxOrBeyondAsciiRoundTrips() {
        var keys = new LinkedHashMap<String, Object>();
        keys.put("a=b&c", "100% + 1 = x&y");
        keys.put("name", "é ✓ \ud83d\ude00 %41 +");
        keys.put("empty", "");

        var back = (KeysetScrollPosition) cursors.fromCursor(cursors.toCursor(ScrollPosition.forward(keys)));

        assertThat(back.getKeys()).containsExactlyEntriesOf(keys);
    }

    @Test
    void cursorsIssuedWithTheirColonsPercentEncodedStillRead() {
        var back = (KeysetScrollPosition) cursors.fromCursor(
                "K&rank=i4&seen=t2026-11-26T17%3A00%3A00.123456Z&id=u1b4e28ba-2fa1-11d2-883f-0016d3cca427");

        assertThat(back.getKeys())
                .containsEntry("rank", 4)
                .containsEntry("seen", Instant.parse("2026-11-26T17:00:00.123456Z"))
                .containsEntry("id", UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
    }

    @Test
    void offsetsAreNotCursorsEveryListPagesByKeyset() {
        assertThatThrownBy(() -> cursors.toCursor(ScrollPosition.offset(40)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.fromCursor("O2147483647")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instantsPostgresCannotHoldAreNotCursors() {
        assertThatThrownBy(() -> cursors.fromCursor("K&queuedAt=t%2B300000-01-01T00:00:00Z&id=s1"))
                .isInstanceOf(java.time.format.DateTimeParseException.class);
    }

    @Test
    void foreignTextIsNotACursor() {
        assertThatThrownBy(() -> cursors.fromCursor("Kid=x123")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.fromCursor("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.fromCursor("K&id")).isInstanceOf(IllegalArgumentException.class);
    }
}
