package io.ventiapi.protocol;

import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a runner needs to run one scan; what travels on the {@code venti:scan-jobs} stream.
 *
 * @param scanId the scan, unique across the platform; also names its workload
 * @param tenant whose scan it is: its workload runs in that tenant's namespace
 * @param kind which scanner
 * @param image the container image for {@link ScannerKind#CUSTOM} (null otherwise: the configured one)
 * @param target the base URL of the API under test; the workload may reach nothing else
 * @param profile {@code SAFE}, {@code STANDARD} or {@code AGGRESSIVE}
 * @param requestsPerSecond the engine's rate limit
 * @param requestBudget the engine's request budget
 * @param timeBox how long the workload may run before it is stopped ({@code TIMED_OUT})
 * @param specDocument the OpenAPI document, as uploaded
 * @param identities the engine's {@code --identity} arguments; they hold credentials
 * @param traceparent the W3C trace context of the request that started the scan, if any
 */
public record ScanJob(
        String scanId,
        TenantId tenant,
        ScannerKind kind,
        String image,
        URI target,
        String profile,
        int requestsPerSecond,
        int requestBudget,
        Duration timeBox,
        String specDocument,
        List<String> identities,
        String traceparent) {

    public ScanJob {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeBox, "timeBox");
        Objects.requireNonNull(specDocument, "specDocument");
        identities = List.copyOf(identities == null ? List.of() : identities);
    }

    /**
     * The part of this scan that one scanner runs, when a scan runs several one after the other:
     * the same scan with {@code kind} and what is left of the time box.
     */
    public ScanJob part(ScannerKind kind, Duration timeLeft) {
        return new ScanJob(
                scanId,
                tenant,
                kind,
                image,
                target,
                profile,
                requestsPerSecond,
                requestBudget,
                timeLeft,
                specDocument,
                identities,
                traceparent);
    }

    /** Never print credentials. */
    @Override
    public String toString() {
        return "ScanJob[" + scanId + " of " + tenant + ", " + kind + " against " + target + "]";
    }
}
