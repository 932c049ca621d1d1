package io.ventiapi.platform.security;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.tenant.TenantDirectory;
import io.ventiapi.platform.tenant.TenantStatus;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether an authenticated caller may still act: its tenant exists and is active and, for an API
 * client, it is not revoked. Checked at the edge of every HTTP request, and again now and then
 * for as long as a subscription lasts, so a revocation or a suspension takes effect on open
 * connections too.
 */
@Component
public class CallerStanding {

    private final TenantDirectory tenants;
    private final JdbcClient jdbc;

    CallerStanding(TenantDirectory tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    /** Why the caller may no longer act, if it may not. */
    public Optional<Refusal> refusal(Actor actor) {
        var state = state(actor);
        if (state.tenantStatus().isEmpty()) {
            return Optional.of(Refusal.UNKNOWN_TENANT);
        }
        if (state.tenantStatus().get() == TenantStatus.SUSPENDED) {
            return Optional.of(Refusal.TENANT_SUSPENDED);
        }
        return state.clientRevoked() ? Optional.of(Refusal.CLIENT_REVOKED) : Optional.empty();
    }

    /**
     * The tenant's status and, for an API client, whether it is revoked: one statement for an API
     * client (its sign-in lookup also reads its tenant's status), one for a person. A client that
     * is unknown or belongs to another tenant than the token names counts as revoked.
     */
    private State state(Actor actor) {
        if (actor.type() != ActorType.API_CLIENT) {
            return new State(tenants.status(actor.tenant()), false);
        }
        var client = jdbc.sql("select tenant_id, revoked, tenant_status from venti_api_client_login(?)")
                .param(actor.name())
                .query((rows, n) -> new ClientRow(
                        rows.getString("tenant_id"), rows.getBoolean("revoked"), rows.getString("tenant_status")))
                .optional();
        if (client.isPresent() && client.get().tenantId().equals(actor.tenant().value())) {
            return new State(
                    Optional.of(TenantStatus.valueOf(client.get().tenantStatus())),
                    client.get().revoked());
        }
        return new State(tenants.status(actor.tenant()), true);
    }

    /** Why a caller is refused: the HTTP status and error code it gets, and what to tell it. */
    public enum Refusal {
        UNKNOWN_TENANT(401, "unknown_tenant", "the token's tenant does not exist"),
        TENANT_SUSPENDED(403, "tenant_suspended", "this tenant is suspended"),
        CLIENT_REVOKED(401, "invalid_token", "this API client was revoked");

        private final int status;
        private final String error;
        private final String message;

        Refusal(int status, String error, String message) {
            this.status = status;
            this.error = error;
            this.message = message;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }

        public String message() {
            return message;
        }
    }

    private record ClientRow(String tenantId, boolean revoked, String tenantStatus) {}

    private record State(Optional<TenantStatus> tenantStatus, boolean clientRevoked) {}
}
