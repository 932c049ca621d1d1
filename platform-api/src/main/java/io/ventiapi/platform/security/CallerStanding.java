package io.ventiapi.platform.security;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.tenant.TenantDirectory;
import io.ventiapi.platform.tenant.TenantStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether an authenticated caller may still act: its tenant exists and is active; an API client is
 * not revoked; a member the platform signed in is still a member, with the role the token names
 * and the password they signed in with. Checked at the edge of every HTTP request, and again now
 * and then for as long as a subscription lasts, so a revocation, a suspension or a password reset
 * takes effect on open connections too.
 */
@Component
public class CallerStanding {

    private final TenantDirectory tenants;
    private final JdbcClient jdbc;

    CallerStanding(TenantDirectory tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    /**
     * Why the caller may no longer act, if it may not.
     *
     * @param issuedAt when the caller's token was issued: a member's token issued before their
     *     password was last set is refused (to the second, as a token's time is written)
     */
    public Optional<Refusal> refusal(Actor actor, Instant issuedAt) {
        var state = state(actor, issuedAt);
        if (state.tenantStatus().isEmpty()) {
            return Optional.of(Refusal.UNKNOWN_TENANT);
        }
        if (state.tenantStatus().get() == TenantStatus.SUSPENDED) {
            return Optional.of(Refusal.TENANT_SUSPENDED);
        }
        if (state.clientRevoked()) {
            return Optional.of(Refusal.CLIENT_REVOKED);
        }
        if (state.issuerUntrusted()) {
            return Optional.of(Refusal.ISSUER_UNTRUSTED);
        }
        if (state.memberChanged()) {
            return Optional.of(Refusal.MEMBER_CHANGED);
        }
        return state.passwordChanged() ? Optional.of(Refusal.PASSWORD_CHANGED) : Optional.empty();
    }

    /**
     * The tenant's status and, for an API client, whether it is revoked: one statement for an API
     * client (its sign-in lookup also reads its tenant's status), one for a person. A client that
     * is unknown or belongs to another tenant than the token names counts as revoked.
     */
    private State state(Actor actor, Instant issuedAt) {
        if (actor.type() == ActorType.USER && actor.id() != null) {
            return actor.id().startsWith(Actor.EXTERNAL) ? externalState(actor) : memberState(actor, issuedAt);
        }
        if (actor.type() != ActorType.API_CLIENT) {
            return new State(tenants.status(actor.tenant()), false, false, false, false);
        }
        var client = jdbc.sql("select tenant_id, revoked, tenant_status from venti_api_client_login(?)")
                .param(actor.name())
                .query((rows, n) -> new ClientRow(
                        rows.getString("tenant_id"), rows.getBoolean("revoked"), rows.getString("tenant_status")))
                .optional();
        if (client.isPresent() && client.get().tenantId().equals(actor.tenant().value())) {
            return new State(
                    Optional.of(TenantStatus.valueOf(client.get().tenantStatus())),
                    client.get().revoked(),
                    false,
                    false,
                    false);
        }
        return new State(tenants.status(actor.tenant()), true, false, false, false);
    }

    /**
     * A member's token carries the role they had when they signed in, and their sign-in session
     * renews such tokens: one removed since, or given another role, acts no more with it. Nor does
     * a token issued before their password was last set: a reset (someone else may have known the
     * old one) or their own change ends what the old password opened, as it ends the sign-in
     * sessions it opened ({@code CurrentPasswordCodes}). A token issued in the same second as the
     * change is kept, its time being written to the second. One statement, as for an API client.
     */
    private State memberState(Actor actor, Instant issuedAt) {
        var member = jdbc.sql("""
                        select id, tenant_id, role, tenant_status, password_changed_at
                        from venti_member_login(?)""")
                .param(actor.name())
                .query((rows, n) -> new MemberRow(
                        rows.getString("id"),
                        rows.getString("tenant_id"),
                        rows.getString("role"),
                        rows.getString("tenant_status"),
                        rows.getObject("password_changed_at", OffsetDateTime.class)
                                .toInstant()))
                .optional();
        if (member.isPresent()
                && member.get().id().equals(actor.id())
                && member.get().tenantId().equals(actor.tenant().value())) {
            var sameRole = actor.roles()
                    .equals(java.util.Set.of(Role.valueOf(member.get().role())));
            var passwordSetSince = issuedAt == null
                    || issuedAt.isBefore(member.get().passwordChangedAt().truncatedTo(ChronoUnit.SECONDS));
            return new State(
                    Optional.of(TenantStatus.valueOf(member.get().tenantStatus())),
                    false,
                    !sameRole,
                    false,
                    passwordSetSince);
        }
        return new State(tenants.status(actor.tenant()), false, true, false, false);
    }

    /**
     * A person an external issuer vouched for acts only while the tenant still trusts that issuer:
     * removing it ends open subscriptions too, not only at each HTTP request's verification. One
     * statement, which also reads the tenant's status.
     */
    private State externalState(Actor actor) {
        var status = jdbc.sql("select tenant_status from venti_issuer_tenants(?) where tenant_id = ?")
                .param(actor.issuer())
                .param(actor.tenant().value())
                .query(String.class)
                .optional();
        return status.isPresent()
                ? new State(Optional.of(TenantStatus.valueOf(status.get())), false, false, false, false)
                : new State(tenants.status(actor.tenant()), false, false, true, false);
    }

    /** Why a caller is refused: the HTTP status and error code it gets, and what to tell it. */
    public enum Refusal {
        UNKNOWN_TENANT(401, "unknown_tenant", "the token's tenant does not exist"),
        TENANT_SUSPENDED(403, "tenant_suspended", "this tenant is suspended"),
        CLIENT_REVOKED(401, "invalid_token", "this API client was revoked"),
        MEMBER_CHANGED(401, "invalid_token", "this member was removed or given another role: sign in again"),
        PASSWORD_CHANGED(
                401, "invalid_token", "this member's password was set after the token was issued: sign in again"),
        ISSUER_UNTRUSTED(401, "invalid_token", "the tenant no longer trusts the token's issuer");

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

    private record MemberRow(String id, String tenantId, String role, String tenantStatus, Instant passwordChangedAt) {}

    private record State(
            Optional<TenantStatus> tenantStatus,
            boolean clientRevoked,
            boolean memberChanged,
            boolean issuerUntrusted,
            boolean passwordChanged) {}
}
