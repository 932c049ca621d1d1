package io.ventiapi.engine;

import io.ventiapi.engine.canary.CanarySettings;
import java.util.List;
import java.util.Map;

/**
 * What a scan knows beyond the document and the identities: who is privileged, which operations a user marked as
 * privileged, and where the out-of-band canary listens.
 *
 * @param identityRoles role of each identity by its label, e.g. {@code alice → user}, {@code root → admin};
 *     identities without an entry have no declared role. Two identities of the same role are compared with each
 *     other (object-level authorization); a role containing {@code admin} (or {@code root}, {@code superuser},
 *     {@code staff}) is privileged, any other declared role is not (function-level authorization)
 * @param privilegedOperations operations to treat as privileged besides those that look so (admin paths and
 *     tags, admin scopes, DELETE on collections and users): {@code METHOD /path/template} or an operationId
 * @param canary the canary listener for out-of-band checks (SSRF), or {@link CanarySettings#off()}
 */
public record ScanOptions(Map<String, String> identityRoles, List<String> privilegedOperations, CanarySettings canary) {

    public ScanOptions {
        identityRoles = Map.copyOf(identityRoles);
        privilegedOperations = List.copyOf(privilegedOperations);
        canary = canary == null ? CanarySettings.off() : canary;
    }

    /** No roles, no marked operations, a canary on 127.0.0.1 (reachable by targets on the same host). */
    public static ScanOptions defaults() {
        return new ScanOptions(Map.of(), List.of(), CanarySettings.loopback());
    }

    /** A copy with these identity roles. */
    public ScanOptions withIdentityRoles(Map<String, String> roles) {
        return new ScanOptions(roles, privilegedOperations, canary);
    }
}
