package io.ventiapi.runner.queue;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.RedisException;

/**
 * Publishes what a workload says to {@code venti:scan-events}: each engine line as it comes
 * ({@code kind=engine}), and how the workload ended ({@code kind=workload}). The api role's
 * persisters read them; an engine event is identified by its scan id and {@code seq}, so a line
 * published twice (a runner re-attached) is recognised.
 */
public final class ScanEventPublisher {

    /** How long a publish keeps trying while Redis is away (a restart, a failover) before the scan fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Duration PAUSE = Duration.ofMillis(500);

    private final RStream<String, String> events;
    private final Duration patience;

    ScanEventPublisher(RStream<String, String> events) {
        this(events, PATIENCE);
    }

    /** @param patience how long a publish keeps trying before it throws */
    ScanEventPublisher(RStream<String, String> events, Duration patience) {
        this.events = events;
        this.patience = patience;
    }

    void engineLine(ScanJob job, String line) {
        var entry = envelope(job, ScanStreams.KIND_ENGINE);
        entry.put(ScanStreams.LINE, line);
        publish(entry);
    }

    /**
     * An engine line of a scan that runs {@code parts} scanners one after the other, from the one
     * at {@code part} (from 0): the persisters scale its progress to the whole scan's. A scan of
     * one part is published as {@link #engineLine(ScanJob, String)} does, without the fields.
     */
    void engineLine(ScanJob job, String line, int part, int parts) {
        var entry = envelope(job, ScanStreams.KIND_ENGINE);
        entry.put(ScanStreams.LINE, line);
        if (parts > 1) {
            entry.put(ScanStreams.PART, Integer.toString(part));
            entry.put(ScanStreams.PARTS, Integer.toString(parts));
        }
        publish(entry);
    }

    /**
     * How the scan ended. A failure's reason may quote what the scanner printed, which may quote
     * the keys and passwords the job gave it: those are taken out here, where they are known. The
     * platform redacts with the project's identities as they are when the scan ends, no longer
     * these once one was changed during the scan.
     */
    void ended(ScanJob job, WorkloadOutcome outcome) {
        ended(job.scanId(), job.tenant(), outcome.withoutKeysOf(job));
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
        publish(entry);
    }

    /**
     * Adds an entry, trying again while Redis does not answer. Redisson does not resend a write
     * whose reply was lost, since it may have landed; here a second copy is harmless (the
     * persisters recognise an engine line by its scan and {@code seq}, and end a scan once),
     * while a lost one would fail or stall the scan.
     */
    private void publish(Map<String, String> entry) {
        var giveUp = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                events.add(StreamAddArgs.entries(entry));
                return;
            } catch (RedisException e) {
                if (System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(PAUSE);
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
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
