package io.ventiapi.platform.security.internal;

import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWTParser;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.StorableText;
import io.ventiapi.tenancy.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;

/**
 * Picks, by a token's issuer, how to validate it and which tenant it speaks for
 * (the {@code JwtIssuerAuthenticationManagerResolver} pattern):
 *
 * <ul>
 *   <li>the platform's own issuer: the token names its tenant; people carry roles, API clients
 *       scopes;
 *   <li>an external issuer: accepted only for a tenant that registered it, verified with the
 *       keys that tenant registered. A {@code tenant} claim must name one of those tenants;
 *       without one, exactly one of them must accept the token (its keys and audience). Roles
 *       come from a {@code roles} claim (tenant roles only) or the registration's default.
 * </ul>
 *
 * Any other issuer is unknown: the token is refused.
 */
public class TokenAuthentication implements AuthenticationManagerResolver<String> {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthentication.class);

    private final String ownIssuer;
    private final AuthenticationManager own;
    private final JdbcClient jdbc;
    private final ExternalIssuerDecoders externalDecoders;
    private final Predicate<String> verifiedOwnToken;

    public TokenAuthentication(
            String ownIssuer, JwtDecoder ownDecoder, JdbcClient jdbc, ExternalIssuerDecoders externalDecoders) {
        this.ownIssuer = ownIssuer;
        this.jdbc = jdbc;
        this.externalDecoders = externalDecoders;
        var provider = new JwtAuthenticationProvider(ownDecoder);
        provider.setJwtAuthenticationConverter(TokenAuthentication::fromOwnToken);
        this.own = provider::authenticate;
        this.verifiedOwnToken = ownDecoder instanceof VerifiedTokenCache cache ? cache::remembers : token -> false;
    }

    /**
     * The API chain's resolver: a token the platform's own decoder verified before goes straight to
     * the platform's provider (which checks it again through the {@link VerifiedTokenCache}); any
     * other has its issuer read first. Reading the issuer parsed every token, header and claims,
     * about 3 % of a findings page's CPU.
     */
    public AuthenticationManagerResolver<HttpServletRequest> forRequests() {
        var byIssuer = new JwtIssuerAuthenticationManagerResolver(this);
        return request -> authentication -> authentication instanceof BearerTokenAuthenticationToken bearer
                        && verifiedOwnToken.test(bearer.getToken())
                ? own.authenticate(authentication)
                : byIssuer.resolve(request).authenticate(authentication);
    }

    @Override
    public AuthenticationManager resolve(String issuer) {
        if (ownIssuer.equals(issuer)) {
            return own;
        }
        // No registration names an issuer holding NUL: an issuer nobody trusts.
        var registrations = StorableText.holdsNul(issuer) ? List.<Registration>of() : registrations(issuer);
        return authentication -> {
            if (registrations.isEmpty()) {
                throw externalRefusal("no tenant trusts issuer " + issuer);
            }
            try {
                return fromExternalIssuer(issuer, registrations, authentication);
            } catch (AuthenticationException e) {
                throw externalRefusal(e.getMessage());
            }
        };
    }

    /**
     * One answer to every refused token of another issuer: telling why (not trusted by the tenant
     * it claims, no such tenant, issuer unreachable) would let anyone map tenants to their
     * identity providers. The reason goes to the log.
     */
    private static InvalidBearerTokenException externalRefusal(String why) {
        log.debug("Token of an external issuer refused: {}", why);
        return new InvalidBearerTokenException("the token is not valid for a tenant that trusts its issuer");
    }

    /**
     * Each tenant that trusts an issuer verifies its tokens with the keys that tenant registered,
     * never with another's: a tenant that registers someone else's issuer with its own key set
     * can sign tokens for itself, not for them. The token's (unverified) {@code tenant} claim only
     * picks which registration to try; the verified claim must then name the same tenant. Without
     * a claim, the token must pass exactly one registration's keys and audience; passing several
     * is ambiguous and refused, never settled by preferring one: any tenant may register any
     * issuer and audience, so a preference would let one tenant's registration decide that
     * another's people sign in to it. Tenants sharing an issuer need the claim. One registration
     * that cannot be reached (its key set's server is down, or never was) refuses for itself only.
     */
    private Authentication fromExternalIssuer(
            String issuer, List<Registration> registrations, Authentication authentication) {
        var claimed = unverifiedTenantClaim(authentication);
        var candidates = claimed == null
                ? registrations
                : registrations.stream()
                        .filter(r -> r.tenantId().equals(claimed))
                        .toList();
        if (candidates.isEmpty()) {
            throw new InvalidBearerTokenException("this issuer is not trusted by the tenant the token claims");
        }
        var accepted = new ArrayList<Authentication>();
        InvalidBearerTokenException refusal = null;
        for (var registration : candidates) {
            if (registration.audience() == null) {
                // Added before audiences were required: any token of that issuer, for any of its
                // applications, would do.
                refusal = new InvalidBearerTokenException("the issuer was trusted without an audience");
                continue;
            }
            try {
                var provider =
                        new JwtAuthenticationProvider(externalDecoders.decoder(issuer, registration.jwkSetUri()));
                provider.setJwtAuthenticationConverter(jwt -> fromExternalToken(jwt, registration));
                accepted.add(provider.authenticate(authentication));
            } catch (InvalidBearerTokenException e) {
                refusal = e;
            } catch (RuntimeException e) {
                // Its key set could not be fetched, or discovery failed (no document, no jwks_uri,
                // another issuer's, refused by the outbound guard): that registration's trouble.
                // While it is not asked again, or asked by another request, each refused token is
                // not news.
                if (NestedExceptionUtils.getRootCause(e) instanceof RateLimitReachedException notNow) {
                    log.debug(
                            "Issuer {} of tenant {} not asked now: {}",
                            issuer,
                            registration.tenantId(),
                            notNow.getMessage() == null ? "asked too recently" : notNow.getMessage());
                } else {
                    log.info(
                            "Issuer {} of tenant {} could not be used: {}",
                            issuer,
                            registration.tenantId(),
                            e.toString());
                }
            }
        }
        if (accepted.size() > 1) {
            throw new InvalidBearerTokenException("the token must name its tenant in a 'tenant' claim");
        }
        if (accepted.isEmpty()) {
            if (candidates.size() == 1 && refusal != null) {
                throw refusal;
            }
            // A key set that could not be fetched is the issuer's trouble, not a server error here.
            throw new InvalidBearerTokenException(
                    candidates.size() == 1
                            ? "the token's issuer could not be reached to verify it"
                            : "no tenant that trusts this issuer accepts the token");
        }
        return accepted.getFirst();
    }

    private static String unverifiedTenantClaim(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            throw new InvalidBearerTokenException("not a bearer token");
        }
        try {
            return JWTParser.parse(bearer.getToken()).getJWTClaimsSet().getStringClaim(TokenClaims.TENANT);
        } catch (ParseException e) {
            throw new InvalidBearerTokenException("the token is not a well-formed JWT");
        }
    }

    static ActorAuthentication fromOwnToken(Jwt jwt) {
        var tenant = tenantOf(jwt.getClaimAsString(TokenClaims.TENANT));
        var type = parseActorType(jwt.getClaimAsString(TokenClaims.ACTOR_TYPE));
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> scopes = new LinkedHashSet<>();
        if (type == ActorType.USER) {
            roles.addAll(parseRoles(jwt.getClaimAsStringList(TokenClaims.ROLES)));
            roles.forEach(role -> scopes.addAll(role.scopes()));
        } else {
            scopes.addAll(scopesOf(jwt));
        }
        var actor = new Actor(
                jwt.getClaimAsString(TokenClaims.ACTOR_ID),
                jwt.getSubject(),
                type,
                tenant,
                Set.copyOf(roles),
                Set.copyOf(scopes),
                jwt.getClaimAsString("iss"));
        return new ActorAuthentication(jwt, authorities(roles, scopes), actor);
    }

    private static ActorAuthentication fromExternalToken(Jwt jwt, Registration registration) {
        var claimed = jwt.getClaimAsString(TokenClaims.TENANT);
        if (claimed != null && !claimed.equals(registration.tenantId())) {
            throw new InvalidBearerTokenException("this issuer is not trusted by the tenant the token claims");
        }
        if (jwt.getAudience() == null || !jwt.getAudience().contains(registration.audience())) {
            throw new InvalidBearerTokenException("the token is not for this audience");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(parseRoles(jwt.getClaimAsStringList(TokenClaims.ROLES)).stream()
                .filter(Role::isTenantRole)
                .toList());
        if (roles.isEmpty()) {
            roles.add(registration.defaultRole());
        }
        Set<String> scopes = new LinkedHashSet<>();
        roles.forEach(role -> scopes.addAll(role.scopes()));
        var name = Objects.requireNonNullElse(
                jwt.getClaimAsString("preferred_username"),
                Objects.requireNonNullElse(jwt.getClaimAsString("email"), jwt.getSubject()));
        if (StorableText.holdsNul(jwt.getSubject()) || StorableText.holdsNul(name)) {
            // They are written to the audit log and to what the person does: the writes would fail.
            throw new InvalidBearerTokenException("the token's subject or name holds a NUL character");
        }
        var actor = new Actor(
                Actor.EXTERNAL + jwt.getSubject(),
                name,
                ActorType.USER,
                tenantOf(registration.tenantId()),
                Set.copyOf(roles),
                Set.copyOf(scopes),
                jwt.getClaimAsString("iss"));
        return new ActorAuthentication(jwt, authorities(roles, scopes), actor);
    }

    private List<Registration> registrations(String issuer) {
        if (issuer == null || issuer.length() > 2000) {
            return List.of();
        }
        // Suspended tenants' too: leaving one out would make a token meant for it as much as for
        // another tenant that other's alone. One it alone accepts is refused at the edge (403).
        return jdbc.sql("""
                        select tenant_id, jwk_set_uri, audience, default_role from venti_issuer_tenants(?)
                        order by tenant_id""")
                .param(issuer)
                .query((rs, n) -> new Registration(
                        rs.getString("tenant_id"),
                        rs.getString("jwk_set_uri"),
                        rs.getString("audience"),
                        Role.valueOf(rs.getString("default_role"))))
                .list();
    }

    private static Collection<GrantedAuthority> authorities(Set<Role> roles, Set<String> scopes) {
        var authorities = new ArrayList<GrantedAuthority>();
        roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name())));
        scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        return authorities;
    }

    private static TenantId tenantOf(String value) {
        if (!TenantId.isValid(value)) {
            throw new InvalidBearerTokenException("the token names no valid tenant");
        }
        return TenantId.of(value);
    }

    private static ActorType parseActorType(String value) {
        try {
            var type = ActorType.valueOf(Objects.requireNonNull(value));
            if (type != ActorType.SYSTEM) {
                return type;
            }
        } catch (RuntimeException e) {
            // fall through: refused below
        }
        throw new InvalidBearerTokenException("the token names no actor type");
    }

    private static List<Role> parseRoles(List<String> values) {
        if (values == null) {
            return List.of();
        }
        var roles = new ArrayList<Role>();
        for (var value : values) {
            for (var role : Role.values()) {
                if (role.name().equals(value)) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    private static Collection<String> scopesOf(Jwt jwt) {
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            return List.of(text.split(" "));
        }
        if (scope instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private record Registration(String tenantId, String jwkSetUri, String audience, Role defaultRole) {}
}
