package io.ventiapi.runner.queue;

import io.ventiapi.runner.ScanJob;
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

    public static final String SCAN_ID = "scanId";
    public static final String TENANT = "tenant";
    public static final String KIND = "kind";
    public static final String LINE = "line";
    public static final String OUTCOME = "outcome";
    public static final String REASON = "reason";

    private final RStream<String, String> events;

    ScanEventPublisher(RStream<String, String> events) {
        this.events = events;
    }

    void engineLine(ScanJob job, String line) {
        var entry = envelope(job, "engine");
        entry.put(LINE, line);
        events.add(StreamAddArgs.entries(entry));
    }

    void ended(ScanJob job, WorkloadOutcome outcome) {
        var entry = envelope(job, "workload");
        entry.put(
                OUTCOME,
                switch (outcome) {
                    case WorkloadOutcome.Succeeded s -> "SUCCEEDED";
                    case WorkloadOutcome.Failed f -> "FAILED";
                    case WorkloadOutcome.TimedOut t -> "TIMED_OUT";
                    case WorkloadOutcome.Cancelled c -> "CANCELLED";
                });
        if (outcome instanceof WorkloadOutcome.Failed failed) {
            entry.put(REASON, failed.reason());
        }
        events.add(StreamAddArgs.entries(entry));
    }

    private static Map<String, String> envelope(ScanJob job, String kind) {
        var entry = new LinkedHashMap<String, String>();
        entry.put(SCAN_ID, job.scanId());
        entry.put(TENANT, job.tenant().value());
        entry.put(KIND, kind);
        return entry;
    }
}
