package io.ventiapi.platform.common;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks a cursor a client sent back before it reaches a query: the lists page by keyset, so a
 * position must be one this list could have written, its keys exactly the sort's properties and
 * each of its entity's type. Anything else (another list's cursor, an offset, a key forged to a
 * string) would fail inside Spring Data or the database as an internal error.
 */
public final class Keysets {

    private static final Map<String, Class<?>> TYPES = new ConcurrentHashMap<>();

    private Keysets() {}

    /** {@code position}, if it could be a cursor of a list of {@code entity} sorted by {@code sort}. */
    public static ScrollPosition checked(ScrollPosition position, Sort sort, Class<?> entity) {
        var types = new LinkedHashMap<String, Class<?>>();
        sort.forEach(order -> types.put(order.getProperty(), type(entity, order.getProperty())));
        return checked(position, types);
    }

    /** {@code position}, if it is the first page or has exactly these keys, each of its type. */
    public static ScrollPosition checked(ScrollPosition position, Map<String, Class<?>> types) {
        if (position instanceof KeysetScrollPosition keyset) {
            var keys = keyset.getKeys();
            if (keys.isEmpty()) {
                return position;
            }
            boolean fits = keys.size() == types.size();
            for (var type : types.entrySet()) {
                var value = keys.get(type.getKey());
                fits &= value != null && type.getValue().isInstance(value);
            }
            if (fits) {
                return position;
            }
        }
        throw notACursor();
    }

    /**
     * A page from rows read one past its size: the rows that fit, each as {@code item} with the
     * cursor {@code keys} gives it, and whether more follow.
     */
    public static <R, T> Window<T> window(
            List<R> rows, int size, Function<R, T> item, Function<R, Map<String, Object>> keys) {
        boolean more = rows.size() > size;
        var page = more ? rows.subList(0, size) : rows;
        return Window.from(
                page.stream().map(item).toList(), index -> ScrollPosition.forward(keys.apply(page.get(index))), more);
    }

    /** The error for a cursor this list did not write. */
    public static UserErrorException notACursor() {
        return UserErrorException.invalid(
                "after", "not a cursor of this list: pass a cursor from its edges or pageInfo");
    }

    private static Class<?> type(Class<?> entity, String property) {
        return TYPES.computeIfAbsent(entity.getName() + "#" + property, key -> {
            Field field = Objects.requireNonNull(
                    ReflectionUtils.findField(entity, property), () -> entity.getName() + " has no " + property);
            return ClassUtils.resolvePrimitiveIfNecessary(field.getType());
        });
    }
}
