package io.ventiapi.engine;

import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.plan.ScanPlan;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Everything one scan needs.
 *
 * @param scanId id carried by every event; the platform passes its own, the CLI makes one up
 * @param plan what to exercise
 * @param target base URL of the API under test; requests never leave its origin
 * @param identities who to act as; each operation's valid request goes as the first identity its security
 *     scheme accepts, else as the first authenticated one. Empty means anonymous
 * @param profile how much the scan may disturb the target
 * @param limits concurrency, rate, budget and time box
 * @param expiredToken an expired but otherwise valid token of the target, for the expired-JWT check; or null
 * @param trustAnyCertificate accept any TLS certificate of the target (self-signed test environments)
 * @param options identity roles, operations marked privileged, the canary listener
 */
public record ScanRequest(
        String scanId,
        ScanPlan plan,
        URI target,
        List<Identity> identities,
        ScanProfile profile,
        ExecutionLimits limits,
        String expiredToken,
        boolean trustAnyCertificate,
        ScanOptions options) {

    public ScanRequest {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(target, "target");
        identities = List.copyOf(identities);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(limits, "limits");
        options = options == null ? ScanOptions.defaults() : options;
    }

    /** A request with {@linkplain ScanOptions#defaults() default options}. */
    public ScanRequest(
            String scanId,
            ScanPlan plan,
            URI target,
            List<Identity> identities,
            ScanProfile profile,
            ExecutionLimits limits,
            String expiredToken,
            boolean trustAnyCertificate) {
        this(scanId, plan, target, identities, profile, limits, expiredToken, trustAnyCertificate, null);
    }

    /** A request that verifies the target's TLS certificate, as it should unless told otherwise. */
    public ScanRequest(
            String scanId,
            ScanPlan plan,
            URI target,
            List<Identity> identities,
            ScanProfile profile,
            ExecutionLimits limits,
            String expiredToken) {
        this(scanId, plan, target, identities, profile, limits, expiredToken, false, null);
    }
}
