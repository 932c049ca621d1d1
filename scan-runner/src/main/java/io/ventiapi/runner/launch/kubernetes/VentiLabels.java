package io.ventiapi.runner.launch.kubernetes;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.tenancy.TenantId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The labels every object the runner creates carries, so it can find (and clean up) its own. */
final class VentiLabels {

    static final String NAME = "app.kubernetes.io/name";
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String TENANT = "venti.io/tenant";
    static final String SCAN_ID = "venti.io/scan-id";
    /** Which scanner: a scan that runs several has one Job (and pod) per scanner. */
    static final String SCANNER_KIND = "venti.io/scanner";

    static final String PLATFORM = "ventiapi";
    static final String RUNNER = "venti-runner";
    static final String SCANNER = "venti-scanner";

    private VentiLabels() {}

    /** Labels of a tenant's namespace and of its guardrail objects. */
    static Map<String, String> tenant(TenantId tenant) {
        return Map.of(PART_OF, PLATFORM, MANAGED_BY, RUNNER, TENANT, tenant.value());
    }

    /** Labels of one scan's Job, pod, Secret and NetworkPolicy (one set per scanner it runs). */
    static Map<String, String> scan(ScanJob job) {
        return Map.of(
                NAME,
                SCANNER,
                PART_OF,
                PLATFORM,
                MANAGED_BY,
                RUNNER,
                TENANT,
                job.tenant().value(),
                SCAN_ID,
                job.scanId(),
                SCANNER_KIND,
                kind(job));
    }

    /** The labels that select the workload of one scanner of one scan. */
    static Map<String, String> workload(ScanJob job) {
        var labels = new LinkedHashMap<String, String>(); // in a stable order: it becomes a query string
        labels.put(SCAN_ID, job.scanId());
        labels.put(SCANNER_KIND, kind(job));
        return labels;
    }

    static String kind(ScanJob job) {
        return job.kind().name().toLowerCase(Locale.ROOT);
    }
}
