package io.ventiapi.platform.security.graphql;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.tenant.Tenant;
import io.ventiapi.platform.tenant.TenantService;
import java.util.List;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class ViewerController {

    private final TenantService tenants;

    ViewerController(TenantService tenants) {
        this.tenants = tenants;
    }

    @QueryMapping
    Viewer viewer() {
        Actor actor = CurrentActor.get();
        return new Viewer(
                actor.id(),
                actor.name(),
                actor.type(),
                tenants.current(),
                actor.roles().stream().sorted().toList(),
                actor.scopes().stream().sorted().toList(),
                actor.issuer());
    }

    record Viewer(
            String id,
            String name,
            ActorType kind,
            Tenant tenant,
            List<Role> roles,
            List<String> scopes,
            String issuer) {}
}
