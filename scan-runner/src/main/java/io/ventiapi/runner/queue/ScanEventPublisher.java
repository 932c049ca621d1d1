package io.ventiapi.runner.queue;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.runner.launch.WorkloadOutcome;
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
        var entry = envelope(job, ScanStreams.KIND_WORKLOAD);
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
        var entry = new LinkedHashMap<String, String>();
        entry.put(ScanStreams.SCAN_ID, job.scanId());
        entry.put(ScanStreams.TENANT, job.tenant().value());
        entry.put(ScanStreams.KIND, kind);
        return entry;
    }
}
