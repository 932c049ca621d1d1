package io.ventiapi.engine.identity;

import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.plan.SecuritySchemeInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks, for each operation, the identity that can satisfy its security requirement: an API that takes an API
 * key on some routes and a bearer token on others gets each one where it belongs. The primary identity (the
 * first authenticated one, or anonymous) covers operations no identity matches.
 */
public final class IdentitySelector {

    private final List<IdentitySession> sessions;
    private final IdentitySession primary;
    private final Map<String, SecuritySchemeInfo> schemes;

    /**
     * @param identities the scan's identities in the order given
     * @param schemes the security schemes the document declares
     * @param target the client logins and token requests go through
     */
    public IdentitySelector(List<Identity> identities, Map<String, SecuritySchemeInfo> schemes, TargetClient target) {
        this(identities, Map.of(), schemes, target);
    }

    /**
     * @param roles declared role by identity label
     */
    public IdentitySelector(
            List<Identity> identities,
            Map<String, String> roles,
            Map<String, SecuritySchemeInfo> schemes,
            TargetClient target) {
        this.sessions = identities.stream()
                .filter(identity -> !(identity instanceof Identity.Anonymous))
                .map(identity -> new IdentitySession(identity, target, roles.get(identity.label())))
                .toList();
        this.primary = sessions.isEmpty()
                ? new IdentitySession(new Identity.Anonymous("anonymous"), target)
                : sessions.getFirst();
        this.schemes = schemes;
    }

    /**
     * Obtains every identity's credentials now, so a wrong password fails the scan at once with the identity's
     * name instead of leaving some operations silently unauthenticated.
     *
     * @throws AuthenticationFailedException for the first identity that cannot authenticate
     */
    public void authenticateAll() {
        primary.credentials();
        sessions.forEach(IdentitySession::credentials);
    }

    /** Every authenticated session, in the order given. */
    public List<IdentitySession> sessions() {
        return sessions;
    }

    /** Whether the session can satisfy one of the operation's security alternatives (any, when it has none). */
    public boolean canCall(IdentitySession session, PlannedOperation operation) {
        if (!operation.requiresAuthentication()) {
            return true;
        }
        return operation.security().stream()
                .anyMatch(alternative ->
                        alternative.stream().allMatch(name -> satisfies(session.identity(), schemes.get(name))));
    }

    /** The identity to send the operation's valid request as. */
    public IdentitySession forOperation(PlannedOperation operation) {
        return forOperation(operation, false);
    }

    /**
     * The identity to send the operation's valid request as; for an operation that looks privileged, an
     * administrative identity that can call it comes first, so its answer is the reference.
     */
    public IdentitySession forOperation(PlannedOperation operation, boolean privileged) {
        if (privileged) {
            for (IdentitySession session : sessions) {
                if (session.isPrivileged() && canCall(session, operation)) {
                    return session;
                }
            }
        }
        if (!operation.requiresAuthentication() || sessions.size() < 2) {
            return primary;
        }
        for (Set<String> alternative : operation.security()) {
            for (IdentitySession session : sessions) {
                if (alternative.stream().allMatch(name -> satisfies(session.identity(), schemes.get(name)))) {
                    return session;
                }
            }
        }
        return primary;
    }

    /** Whether an identity sends the kind of credential a scheme asks for. */
    static boolean satisfies(Identity identity, SecuritySchemeInfo scheme) {
        if (scheme == null) {
            return false;
        }
        boolean tokenBased = identity instanceof Identity.Bearer
                || identity instanceof Identity.LoginFlow
                || identity instanceof Identity.OAuth2ClientCredentials;
        return switch (scheme.type().toLowerCase(Locale.ROOT)) {
            case "apikey" ->
                identity instanceof Identity.ApiKey key
                        && key.in().name().equalsIgnoreCase(String.valueOf(scheme.in()))
                        && key.name().equalsIgnoreCase(String.valueOf(scheme.parameterName()));
            case "http" -> "basic".equals(scheme.httpScheme()) ? identity instanceof Identity.Basic : tokenBased;
            case "oauth2", "openidconnect" -> tokenBased;
            default -> false;
        };
    }
}
