package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.UserErrorException;
import java.util.Optional;
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

    /** For lookups that answer null for an unknown id: a malformed one is unknown too. */
    public static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
