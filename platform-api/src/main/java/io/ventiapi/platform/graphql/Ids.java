package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.UserErrorException;
import java.util.UUID;

/** Reads ids from GraphQL input. A malformed id is just an id that names nothing. */
public final class Ids {

    private Ids() {}

    public static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw UserErrorException.notFound(what, id);
        }
    }
}
