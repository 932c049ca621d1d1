package io.ventiapi.platform.common;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;

/**
 * Pages of a nested list (a project's scans, a spec version's operations) for every parent on a
 * page at once: the pages asked from the same place, with the same size, are read in one
 * statement and split by parent. GraphQL asks them of a data loader, since a field taking first
 * and after cannot be a {@code @BatchMapping}.
 */
public final class NestedPages {

    private NestedPages() {}

    /**
     * A page of {@code parent}'s list: up to {@code limit} items after the one whose sort keys are
     * {@code after} (none: from the start).
     */
    public record Page(UUID parent, Map<String, Object> after, int limit) {

        /** The page {@code position} (checked by {@link Keysets}) asks for. */
        public static Page of(UUID parent, ScrollPosition position, int limit) {
            return new Page(parent, Map.copyOf(((KeysetScrollPosition) position).getKeys()), limit);
        }

        /** Where the page starts, whichever parent's it is. */
        private Page from() {
            return new Page(null, after, limit);
        }
    }

    /** Reads up to {@code rows} items of each of {@code parents} after {@code after}, by parent. */
    @FunctionalInterface
    public interface Reader<R> {
        Map<UUID, List<R>> read(List<UUID> parents, Map<String, Object> after, int rows);
    }

    /**
     * The pages asked for, each from rows {@code reader} read (one past the page, to tell whether
     * more follow), as {@code item} with the cursor {@code keys} gives it.
     */
    public static <R, T> Map<Page, Window<T>> read(
            Collection<Page> pages, Reader<R> reader, Function<R, T> item, Function<R, Map<String, Object>> keys) {
        var result = new LinkedHashMap<Page, Window<T>>();
        pages.stream().collect(Collectors.groupingBy(Page::from)).forEach((from, group) -> {
            var rows = reader.read(group.stream().map(Page::parent).toList(), from.after(), from.limit() + 1);
            for (var page : group) {
                result.put(page, Keysets.window(rows.getOrDefault(page.parent(), List.of()), page.limit(), item, keys));
            }
        });
        return result;
    }
}
