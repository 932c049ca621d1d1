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
        var status = tenants.status(actor.tenant());
        if (status.isEmpty()) {
            refuse(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "unknown_tenant",
                    "the token's tenant does not exist");
            return;
        }
        if (status.get() == TenantStatus.SUSPENDED) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "tenant_suspended", "this tenant is suspended");
            return;
        }
        if (actor.type() == ActorType.API_CLIENT && isRevoked(actor)) {
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

    private boolean isRevoked(Actor actor) {
        return jdbc.sql("select revoked from venti_api_client_login(?)")
                .param(actor.name())
                .query(Boolean.class)
                .optional()
                .orElse(true);
    }

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
