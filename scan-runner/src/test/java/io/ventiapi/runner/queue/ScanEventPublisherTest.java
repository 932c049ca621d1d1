package io.ventiapi.runner.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.tenancy.TenantId;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamAddParams;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.RedisResponseTimeoutException;

/**
 * A write whose reply Redis never sent (it went down mid-command) is tried again, not lost. A real
 * Redis cannot be made to drop exactly one reply on cue, so the stream here is a stand-in that
 * fails its first {@code XADD} the way Redisson does; {@code ScanPipelineIT} restarts a real Redis.
 */
class ScanEventPublisherTest {

    @Test
    void anEngineLineWhoseWriteTimedOutIsWrittenAgain() {
        var attempts = new CopyOnWriteArrayList<StreamAddArgs<String, String>>();
        var publisher = new ScanEventPublisher(streamFailingFirstWrite(attempts));

        publisher.engineLine(job(), "{\"type\":\"progress\",\"seq\":7}");

        assertThat(attempts).hasSize(2);
    }

    @Test
    void aLineOfAScanOfSeveralScannersSaysWhichPartItIsAndOneOfASingleScannerDoesNot() {
        var attempts = new CopyOnWriteArrayList<StreamAddArgs<String, String>>();
        var publisher = new ScanEventPublisher(streamFailingFirstWrite(attempts), Duration.ofSeconds(5));

        publisher.engineLine(job(), "a", 1, 3);
        publisher.engineLine(job(), "b", 0, 1);
        publisher.engineLine(job(), "c");

        // The first write of "a" timed out and was tried again.
        assertThat(attempts).hasSize(4);
        assertThat(entries(attempts.get(1)))
                .containsEntry(ScanStreams.LINE, "a")
                .containsEntry(ScanStreams.PART, "1")
                .containsEntry(ScanStreams.PARTS, "3");
        assertThat(entries(attempts.get(2)))
                .containsEntry(ScanStreams.LINE, "b")
                .doesNotContainKeys(ScanStreams.PART, ScanStreams.PARTS);
        assertThat(entries(attempts.get(3)))
                .containsEntry(ScanStreams.LINE, "c")
                .doesNotContainKeys(ScanStreams.PART, ScanStreams.PARTS);
    }

    private static Map<String, String> entries(StreamAddArgs<String, String> add) {
        return ((StreamAddParams<String, String>) add).getEntries();
    }

    @SuppressWarnings("unchecked")
    private static RStream<String, String> streamFailingFirstWrite(List<StreamAddArgs<String, String>> attempts) {
        return (RStream<String, String>) Proxy.newProxyInstance(
                RStream.class.getClassLoader(), new Class<?>[] {RStream.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("add") || args == null || args.length != 1) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    attempts.add((StreamAddArgs<String, String>) args[0]);
                    if (attempts.size() == 1) {
                        throw new RedisResponseTimeoutException("Redis server response timeout (3000 ms)");
                    }
                    return new StreamMessageId(1, attempts.size());
                });
    }

    private static ScanJob job() {
        return new ScanJob(
                "scan-1",
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create("http://127.0.0.1:1"),
                "SAFE",
                1,
                1,
                Duration.ofMinutes(1),
                "openapi: 3.0.3",
                List.of(),
                null);
    }
}
