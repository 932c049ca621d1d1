package io.ventiapi.platform.security.internal;

import io.micrometer.tracing.Tracer;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.graphql.TransportErrors;
import io.ventiapi.platform.security.CallerStanding;
import io.ventiapi.tenancy.Tenancy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after the bearer token is validated: refuses unknown and suspended tenants and revoked API
 * clients, then binds the caller's tenant for the rest of the request. Nothing below this filter
 * runs for an authenticated caller without a tenant bound. Its answers are GraphQL responses, as
 * the endpoint's own: {@code UNAUTHENTICATED} (401) or {@code FORBIDDEN} (403) with the {@code
 * reason} of the refusal, or, when the caller's standing cannot be read, {@code BUSY} (503) or
 * {@code INTERNAL_ERROR} (500) with a trace id.
 */
public class TenantEdgeFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TenantEdgeFilter.class);

    private final CallerStanding standing;
    private final ObjectProvider<Tracer> tracer;

    public TenantEdgeFilter(CallerStanding standing, ObjectProvider<Tracer> tracer) {
        this.standing = standing;
        this.tracer = tracer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof Actor.Carrier carrier)) {
            chain.doFilter(request, response);
            return;
        }
        var actor = carrier.actor();
        Optional<CallerStanding.Refusal> refusal;
        try {
            refusal = standing.refusal(actor, issuedAt(carrier));
        } catch (RuntimeException e) {
            SecurityContextHolder.clearContext();
            var failure = TransportErrors.failure(e, TransportErrors.traceId(tracer.getIfAvailable()));
            if (failure.busy()) {
                log.warn("Caller's standing unreadable, the database unavailable (trace {})", failure.traceId(), e);
            } else {
                log.error("Caller's standing unreadable (trace {})", failure.traceId(), e);
            }
            TransportErrors.write(response, failure.status().value(), failure.message(), failure.extensions());
            return;
        }
        if (refusal.isPresent()) {
            refuse(response, refusal.get());
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

    private static Instant issuedAt(Actor.Carrier carrier) {
        return carrier instanceof JwtAuthenticationToken token
                ? token.getToken().getIssuedAt()
                : null;
    }

    private static void refuse(HttpServletResponse response, CallerStanding.Refusal refusal) throws IOException {
        SecurityContextHolder.clearContext();
        var unauthenticated = refusal.status() == HttpServletResponse.SC_UNAUTHORIZED;
        if (unauthenticated) {
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"" + refusal.message() + "\"");
        }
        TransportErrors.write(
                response,
                refusal.status(),
                refusal.message(),
                Map.of("code", unauthenticated ? "UNAUTHENTICATED" : "FORBIDDEN", "reason", refusal.error()));
    }
}
