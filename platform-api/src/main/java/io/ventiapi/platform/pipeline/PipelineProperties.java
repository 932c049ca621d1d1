package io.ventiapi.platform.pipeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.pipeline.*}: the api role's side of the scan pipeline.
 *
 * @param scanTimeBox how long a scan's workload may run before it is stopped ({@code TIMED_OUT})
 * @param relayInterval how often the outbox relay looks for messages a commit did not wake it for
 *     (another replica's, or left by a crash)
 * @param visibilityTimeout how long a scan event may stay unacknowledged by a persister before
 *     another api replica takes it over
 * @param consumer this replica's name in the persisters group; defaults to host and process id
 */
@ConfigurationProperties("venti.pipeline")
public record PipelineProperties(
        @DefaultValue("30m") Duration scanTimeBox,
        @DefaultValue("2s") Duration relayInterval,
        @DefaultValue("60s") Duration visibilityTimeout,
        String consumer) {

    public PipelineProperties {
        if (consumer == null || consumer.isBlank()) {
            consumer = "api-" + hostName() + "-" + ProcessHandle.current().pid();
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "api";
        }
    }
}
