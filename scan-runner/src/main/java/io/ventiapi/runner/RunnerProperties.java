package io.ventiapi.runner;

import io.ventiapi.protocol.ScanStreams;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.runner.*}.
 *
 * @param concurrency scans this runner runs at once
 * @param visibilityTimeout how long a job may go without its runner's heartbeat before another
 *     runner takes it over (and re-attaches to its workload)
 * @param launcher {@code local} (child processes, the single-machine default) or {@code kubernetes}
 * @param consumer this runner's name in the consumer group; defaults to host and process id
 * @param jobsStream the stream scan jobs arrive on
 * @param eventsStream the stream scan events leave on
 * @param group the consumer group runners share
 * @param defaultTenantConcurrency a tenant's concurrent scans when the job does not say
 */
@ConfigurationProperties("venti.runner")
public record RunnerProperties(
        @DefaultValue("2") int concurrency,
        @DefaultValue("60s") Duration visibilityTimeout,
        @DefaultValue("local") String launcher,
        String consumer,
        @DefaultValue(ScanStreams.JOBS) String jobsStream,
        @DefaultValue(ScanStreams.EVENTS) String eventsStream,
        @DefaultValue(ScanStreams.RUNNERS) String group,
        @DefaultValue("2") int defaultTenantConcurrency) {

    public RunnerProperties {
        if (concurrency < 1) {
            throw new IllegalArgumentException("venti.runner.concurrency must be at least 1");
        }
        if (consumer == null || consumer.isBlank()) {
            consumer = hostName() + "-" + ProcessHandle.current().pid();
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "runner";
        }
    }
}
