package io.ventiapi.platform.issuer;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.issuer.internal.TrustedIssuerRepository;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Trusted issuers of the bound tenant. Managing them needs the {@code tenant:admin} scope. */
@Service
public class TrustedIssuerService {

    private static final int MAX_URL = 2000;
    private static final int MAX_AUDIENCE = 500;
    /** Each is asked for its keys and kept on every replica; a tenant with more is not an SSO setup. */
    static final int MAX_PER_TENANT = 20;

    private static final Sort SORT = Sort.by("createdAt", "id");

    private static final String TENANT_ADMIN = "hasAuthority('SCOPE_" + Scopes.TENANT_ADMIN + "')";

    private final TrustedIssuerRepository issuers;
    private final OutboundUrlPolicy outbound;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    TrustedIssuerService(
            TrustedIssuerRepository issuers,
            OutboundUrlPolicy outbound,
            AuditLog audit,
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            ObjectProvider<Clock> clock) {
        this.issuers = issuers;
        this.outbound = outbound;
        this.audit = audit;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(TENANT_ADMIN)
    public Window<TrustedIssuer> list(ScrollPosition position, Limit limit) {
        return issuers.findAllBy(Keysets.checked(position, SORT, TrustedIssuer.class), limit, SORT);
    }

    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public TrustedIssuer add(String issuerUri, String jwkSetUri, String audience, Role defaultRole) {
        if (Tenancy.current().equals(TenantId.PLATFORM)) {
            throw UserErrorException.invalid("issuerUri", "platform admins sign in through the platform only");
        }
        outbound.checkSecure(parse(issuerUri, "issuerUri"), "issuerUri");
        if (jwkSetUri != null) {
            outbound.checkSecure(parse(jwkSetUri, "jwkSetUri"), "jwkSetUri");
        }
        if (audience == null
                || audience.isBlank()
                || audience.length() > MAX_AUDIENCE
                || audience.chars().anyMatch(Character::isISOControl)) {
            // Without one, a token the provider issued to any other application would sign in.
            throw UserErrorException.invalid(
                    "audience",
                    "the audience (the aud your provider puts in tokens for VentiAPI) is 1-" + MAX_AUDIENCE
                            + " characters, none of them control characters");
        }
        var role = defaultRole == null ? Role.VIEWER : defaultRole;
        if (!role.isTenantRole()) {
            throw UserErrorException.invalid("defaultRole", "an external issuer cannot grant " + role);
        }
        // One addition at a time per tenant: two at once could both see room for one more.
        jdbc.sql("select pg_advisory_xact_lock(hashtext('trusted-issuers:' || ?))")
                .param(Tenancy.current().value())
                .query()
                .singleValue();
        if (issuers.existsByIssuerUri(issuerUri)) {
            throw UserErrorException.conflict("issuer " + issuerUri + " is already trusted");
        }
        if (issuers.count() >= MAX_PER_TENANT) {
            throw UserErrorException.conflict(
                    "a tenant trusts at most " + MAX_PER_TENANT + " issuers: remove one it no longer uses first");
        }
        var issuer = issuers.save(new TrustedIssuer(issuerUri, jwkSetUri, audience, role, Instant.now(clock)));
        var summary = new HashMap<String, Object>(
                Map.of("issuerUri", issuerUri, "audience", audience, "defaultRole", role.name()));
        if (jwkSetUri != null) {
            summary.put("jwkSetUri", jwkSetUri);
        }
        audit.record("trustedIssuer.add", "TrustedIssuer", issuer.getId().toString(), summary);
        return issuer;
    }

    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public void remove(UUID id) {
        var issuer = issuers.findById(id).orElseThrow(() -> UserErrorException.notFound("trusted issuer", id));
        issuers.delete(issuer);
        events.publishEvent(new TrustedIssuerRemoved(issuer.getIssuerUri(), issuer.getJwkSetUri()));
        audit.record(
                "trustedIssuer.remove", "TrustedIssuer", id.toString(), Map.of("issuerUri", issuer.getIssuerUri()));
    }

    private static URI parse(String value, String field) {
        if (value != null && value.length() > MAX_URL) {
            throw UserErrorException.invalid(field, "a URL is at most " + MAX_URL + " characters");
        }
        try {
            return new URI(value);
        } catch (URISyntaxException | NullPointerException e) {
            throw UserErrorException.invalid(field, "not a URL: " + value);
        }
    }
}
