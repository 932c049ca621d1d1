package io.ventiapi.platform.common;

import io.ventiapi.tenancy.TenantId;
import java.util.Set;

/**
 * The authenticated caller: who it is, in which tenant, and what it may do.
 *
 * @param id a stable id (member id, API client id, or an external subject)
 * @param name a display name (username, client id)
 * @param type person or machine
 * @param tenant the tenant the caller acts in
 * @param roles the caller's roles (empty for API clients)
 * @param scopes the scopes the caller holds (for people: those their roles imply)
 * @param issuer the token issuer that vouched for the caller
 */
public record Actor(
        String id, String name, ActorType type, TenantId tenant, Set<Role> roles, Set<String> scopes, String issuer) {

    /** The prefix of the id of a person an external issuer vouched for. */
    public static final String EXTERNAL = "ext:";

    /**
     * How records of who did something (the audit log, a triage, a scan's requester) name the
     * actor: its name, and for a person an external issuer vouched for, its subject and that
     * issuer too. The name comes from the identity provider's claims, so without them anyone it
     * signs for could appear as a member of the same name.
     */
    public String accountableName() {
        return id != null && id.startsWith(EXTERNAL) ? name + " (" + id + " via " + issuer + ")" : name;
    }

    /** Implemented by the authentication that carries an actor, so the platform needn't know its class. */
    public interface Carrier {
        Actor actor();
    }
}
