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

    /**
     * Whether the caller holds {@code scope}: the authority ({@code SCOPE_...}) that the services'
     * {@code @PreAuthorize} rules ask for.
     */
    public static boolean holds(String scope) {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return false;
        }
        var authority = "SCOPE_" + scope;
        for (var granted : authentication.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    /** The actor; throws where nobody authenticated, which a secured service never allows. */
    public static Actor get() {
        return find().orElseThrow(() -> new IllegalStateException("no authenticated actor"));
    }
}
