package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Actor;
import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** A validated bearer token and the {@link Actor} it speaks for. */
public final class ActorAuthentication extends JwtAuthenticationToken implements Actor.Carrier {

    private final Actor actor;

    public ActorAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, Actor actor) {
        super(jwt, authorities, actor.name());
        this.actor = actor;
    }

    @Override
    public Actor actor() {
        return actor;
    }
}
