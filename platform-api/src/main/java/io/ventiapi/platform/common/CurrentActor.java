package io.ventiapi.platform.common;

import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;

/** Reads the authenticated {@link Actor} from the security context. */
public final class CurrentActor {

    private CurrentActor() {}

    public static Optional<Actor> find() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof Actor.Carrier carrier ? Optional.of(carrier.actor()) : Optional.empty();
    }

    /** The actor; throws where nobody authenticated, which a secured service never allows. */
    public static Actor get() {
        return find().orElseThrow(() -> new IllegalStateException("no authenticated actor"));
    }
}
