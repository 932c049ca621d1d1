package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.tenant.TenantDirectory;
import io.ventiapi.platform.tenant.TenantStatus;
import io.ventiapi.tenancy.Tenancy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after the bearer token is validated: refuses unknown and suspended tenants and revoked API
 * clients, then binds the caller's tenant for the rest of the request. Nothing below this filter
 * runs for an authenticated caller without a tenant bound.
 */
public class TenantEdgeFilter extends OncePerRequestFilter {

    private final TenantDirectory tenants;
    private final JdbcClient jdbc;

    public TenantEdgeFilter(TenantDirectory tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof Actor.Carrier carrier)) {
            chain.doFilter(request, response);
            return;
        }
        var actor = carrier.actor();
        var state = edgeState(actor);
        if (state.tenantStatus().isEmpty()) {
            refuse(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "unknown_tenant",
                    "the token's tenant does not exist");
            return;
        }
        if (state.tenantStatus().get() == TenantStatus.SUSPENDED) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "tenant_suspended", "this tenant is suspended");
            return;
        }
        if (state.clientRevoked()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "this API client was revoked");
            return;
        }
        try {
            Tenancy.call(actor.tenant(), () -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    /**
     * The tenant's status and, for an API client, whether it is revoked: one statement for an API
     * client (its sign-in lookup also reads its tenant's status), one for a person. A client that
     * is unknown or belongs to another tenant than the token names counts as revoked.
     */
    private EdgeState edgeState(Actor actor) {
        if (actor.type() != ActorType.API_CLIENT) {
            return new EdgeState(tenants.status(actor.tenant()), false);
        }
        var client = jdbc.sql("select tenant_id, revoked, tenant_status from venti_api_client_login(?)")
                .param(actor.name())
                .query((rows, n) -> new ClientRow(
                        rows.getString("tenant_id"), rows.getBoolean("revoked"), rows.getString("tenant_status")))
                .optional();
        if (client.isPresent() && client.get().tenantId().equals(actor.tenant().value())) {
            return new EdgeState(
                    Optional.of(TenantStatus.valueOf(client.get().tenantStatus())),
                    client.get().revoked());
        }
        return new EdgeState(tenants.status(actor.tenant()), true);
    }

    private record ClientRow(String tenantId, boolean revoked, String tenantStatus) {}

    private record EdgeState(Optional<TenantStatus> tenantStatus, boolean clientRevoked) {}

    private static void refuse(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        SecurityContextHolder.clearContext();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader(
                    "WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + message + "\"");
        }
        response.getOutputStream()
                .write(("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }
}
