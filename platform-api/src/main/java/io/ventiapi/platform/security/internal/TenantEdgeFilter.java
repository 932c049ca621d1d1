package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.security.CallerStanding;
import io.ventiapi.tenancy.Tenancy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after the bearer token is validated: refuses unknown and suspended tenants and revoked API
 * clients, then binds the caller's tenant for the rest of the request. Nothing below this filter
 * runs for an authenticated caller without a tenant bound.
 */
public class TenantEdgeFilter extends OncePerRequestFilter {

    private final CallerStanding standing;

    public TenantEdgeFilter(CallerStanding standing) {
        this.standing = standing;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof Actor.Carrier carrier)) {
            chain.doFilter(request, response);
            return;
        }
        var actor = carrier.actor();
        var refusal = standing.refusal(actor);
        if (refusal.isPresent()) {
            refuse(
                    response,
                    refusal.get().status(),
                    refusal.get().error(),
                    refusal.get().message());
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
