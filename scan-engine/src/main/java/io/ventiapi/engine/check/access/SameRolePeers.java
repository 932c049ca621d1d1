package io.ventiapi.engine.check.access;

import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.PlannedOperation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom the object-level checks pit against whom: two users of one role, neither an administrator, who may
 * legitimately read, edit and reset anyone's objects and accounts. The choice does not depend on the order the
 * identities were given in, so an administrator listed first (and so sending the baselines) is never taken for
 * the attacker, the owner or the victim.
 */
final class SameRolePeers {

    private SameRolePeers() {}

    /** Other identities with the same declared role (or none declared) that can call the operation. */
    static List<IdentitySession> peersOf(ScanContext context, IdentitySession identity, PlannedOperation op) {
        return context.sessions().stream()
                .filter(s -> s != identity
                        && !s.label().equals(identity.label())
                        && Objects.equals(s.role(), identity.role())
                        && context.canCall(s, op))
                .toList();
    }

    /**
     * The identity to act as the owner (or attacker) for the operation: the preferred one (the baseline's, whose
     * answers the scan already has) when it qualifies, else the first that does: not privileged, able to call the
     * operation, and with a peer of its role. Empty when no two such users exist.
     */
    static Optional<IdentitySession> ownerFor(ScanContext context, IdentitySession preferred, PlannedOperation op) {
        if (qualifies(context, preferred, op)) {
            return Optional.of(preferred);
        }
        return context.sessions().stream()
                .filter(s -> qualifies(context, s, op))
                .findFirst();
    }

    private static boolean qualifies(ScanContext context, IdentitySession identity, PlannedOperation op) {
        return identity.isAuthenticated()
                && !identity.isPrivileged()
                && context.canCall(identity, op)
                && !peersOf(context, identity, op).isEmpty();
    }
}
