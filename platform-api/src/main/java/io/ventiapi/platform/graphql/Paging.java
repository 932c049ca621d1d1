package io.ventiapi.platform.graphql;

import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.query.ScrollSubrange;

/** Turns a Relay {@code first}/{@code after} request into a keyset scroll, capped per page. */
public final class Paging {

    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;

    private Paging() {}

    public static ScrollPosition position(ScrollSubrange subrange) {
        return subrange.position().orElse(ScrollPosition.keyset());
    }

    public static Limit limit(ScrollSubrange subrange) {
        int requested = subrange.count().orElse(DEFAULT_PAGE);
        return Limit.of(Math.clamp(requested, 1, MAX_PAGE));
    }
}
