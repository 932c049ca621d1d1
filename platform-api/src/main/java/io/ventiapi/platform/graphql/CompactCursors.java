package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.IsoInstants;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.pagination.CursorStrategy;

/**
 * Scroll positions as short, plain cursors ({@code K&createdAt=t2026-…&id=u1b4…} before
 * encoding): the sort keys with a one-letter type, nothing else. Every list pages by keyset;
 * offsets have no cursor. Replaces Spring GraphQL's
 * default, which writes Java class names into every cursor and serialises each one with
 * polymorphic typing, a cost paid for every edge of every page.
 */
final class CompactCursors implements CursorStrategy<ScrollPosition> {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public boolean supports(Class<?> targetType) {
        return ScrollPosition.class.isAssignableFrom(targetType);
    }

    @Override
    public String toCursor(ScrollPosition position) {
        if (position instanceof KeysetScrollPosition keyset) {
            var cursor = new StringBuilder("K");
            keyset.getKeys()
                    .forEach((key, value) ->
                            cursor.append('&').append(escape(key)).append('=').append(typed(value)));
            return cursor.toString();
        }
        throw new IllegalArgumentException(
                "no cursor for " + position.getClass().getSimpleName());
    }

    @Override
    public ScrollPosition fromCursor(String cursor) {
        if (!cursor.startsWith("K")) {
            throw new IllegalArgumentException("not a cursor");
        }
        var keys = new LinkedHashMap<String, Object>();
        for (var pair : cursor.substring(1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("not a cursor");
            }
            keys.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), value(pair.substring(eq + 1)));
        }
        return ScrollPosition.forward(keys);
    }

    private static String typed(Object value) {
        var text = switch (value) {
            case Integer i -> "i" + i;
            case Long l -> "l" + l;
            case Short s -> "h" + s;
            case Instant t -> "t" + t;
            case UUID u -> "u" + u;
            case String s -> "s" + s;
            default ->
                throw new IllegalArgumentException(
                        "no cursor form for " + value.getClass().getSimpleName());
        };
        return escape(text);
    }

    /**
     * Percent-encodes only what would break a cursor apart or change as {@link URLDecoder} reads it
     * back ({@code % & = +}); the rest, an instant's colons included, is kept as it is. Cursors
     * written with {@code URLEncoder}, which encoded more, decode the same.
     */
    private static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '&' || c == '=' || c == '+') {
                if (escaped == null) {
                    escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    private static Object value(String encoded) {
        var text = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        var raw = text.substring(1);
        return switch (text.charAt(0)) {
            case 'i' -> Integer.valueOf(raw);
            case 'l' -> Long.valueOf(raw);
            case 'h' -> Short.valueOf(raw);
            case 't' -> IsoInstants.parse(raw);
            case 'u' -> UUID.fromString(raw);
            case 's' -> raw;
            default -> throw new IllegalArgumentException("not a cursor");
        };
    }
}
