package io.ventiapi.runner.queue;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamAddArgs;

/**
 * Publishes what a workload says to {@code venti:scan-events}: each engine line as it comes
 * ({@code kind=engine}), and how the workload ended ({@code kind=workload}). The api role's
 * persisters read them; an engine event is identified by its scan id and {@code seq}, so a line
 * published twice (a runner re-attached) is recognised.
 */
public final class ScanEventPublisher {

    private final RStream<String, String> events;

    ScanEventPublisher(RStream<String, String> events) {
        this.events = events;
    }

    void engineLine(ScanJob job, String line) {
        var entry = envelope(job, ScanStreams.KIND_ENGINE);
        entry.put(ScanStreams.LINE, line);
        events.add(StreamAddArgs.entries(entry));
    }

    void ended(ScanJob job, WorkloadOutcome outcome) {
        ended(job.scanId(), job.tenant(), outcome);
    }

    /** How the scan ended, for a scan known only by its id and tenant (a job that could not be read). */
    void ended(String scanId, TenantId tenant, WorkloadOutcome outcome) {
        var entry = envelope(scanId, tenant, ScanStreams.KIND_WORKLOAD);
        entry.put(
                ScanStreams.OUTCOME,
                switch (outcome) {
                    case WorkloadOutcome.Succeeded s -> "SUCCEEDED";
                    case WorkloadOutcome.Failed f -> "FAILED";
                    case WorkloadOutcome.TimedOut t -> "TIMED_OUT";
                    case WorkloadOutcome.Cancelled c -> "CANCELLED";
                });
        if (outcome instanceof WorkloadOutcome.Failed failed) {
            entry.put(ScanStreams.REASON, failed.reason());
        }
        events.add(StreamAddArgs.entries(entry));
    }

    private static Map<String, String> envelope(ScanJob job, String kind) {
        return envelope(job.scanId(), job.tenant(), kind);
    }

    private static Map<String, String> envelope(String scanId, TenantId tenant, String kind) {
        var entry = new LinkedHashMap<String, String>();
        entry.put(ScanStreams.SCAN_ID, scanId);
        entry.put(ScanStreams.TENANT, tenant.value());
        entry.put(ScanStreams.KIND, kind);
        return entry;
    }
}
