package io.ventiapi.platform.security;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Runs platform work that no request asked for (first-start seeding, later schedulers) as the
 * actor {@code system}, with a tenant bound and every scope, so it passes the same service rules
 * and leaves the same audit trail as a person would.
 */
public final class SystemActor {

    private SystemActor() {}

    public static void run(TenantId tenant, Runnable work) {
        call(tenant, () -> {
            work.run();
            return null;
        });
    }

    public static <T> T call(TenantId tenant, Supplier<T> work) {
        var scopes = new HashSet<>(Scopes.TENANT_SCOPES);
        scopes.add(Scopes.PLATFORM_ADMIN);
        var actor = new Actor("system", "system", ActorType.SYSTEM, tenant, Set.of(), Set.copyOf(scopes), "system");
        return callAs(actor, work);
    }

    /**
     * Runs work as {@code actor}, its tenant bound, where no request carries it: a member who just
     * signed in at the login page, say, before any token names them.
     */
    public static <T> T callAs(Actor actor, Supplier<T> work) {
        var previous = SecurityContextHolder.getContext();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new SystemAuthentication(actor));
        SecurityContextHolder.setContext(context);
        try {
            return Tenancy.call(actor.tenant(), work::get);
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private static final class SystemAuthentication extends AbstractAuthenticationToken implements Actor.Carrier {

        private final Actor actor;

        SystemAuthentication(Actor actor) {
            super(actor.scopes().stream()
                    .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope))
                    .toList());
            this.actor = actor;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return actor.name();
        }

        @Override
        public Actor actor() {
            return actor;
        }
    }
}
