package io.ventiapi.runner.launch.kubernetes;

import io.ventiapi.tenancy.TenantId;
import java.util.Map;

/** The labels every object the runner creates carries, so it can find (and clean up) its own. */
final class VentiLabels {

    static final String NAME = "app.kubernetes.io/name";
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String TENANT = "venti.io/tenant";
    static final String SCAN_ID = "venti.io/scan-id";

    static final String PLATFORM = "ventiapi";
    static final String RUNNER = "venti-runner";
    static final String SCANNER = "venti-scanner";

    private VentiLabels() {}

    /** Labels of a tenant's namespace and of its guardrail objects. */
    static Map<String, String> tenant(TenantId tenant) {
        return Map.of(PART_OF, PLATFORM, MANAGED_BY, RUNNER, TENANT, tenant.value());
    }

    /** Labels of one scan's Job, pod, Secret and NetworkPolicy. */
    static Map<String, String> scan(TenantId tenant, String scanId) {
        return Map.of(NAME, SCANNER, PART_OF, PLATFORM, MANAGED_BY, RUNNER, TENANT, tenant.value(), SCAN_ID, scanId);
    }
}
