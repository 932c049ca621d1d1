package io.ventiapi.runner.bench;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.protocol.JobSeal;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.RunnerProperties;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.runner.launch.local.LocalLauncherProperties;
import io.ventiapi.runner.launch.local.LocalProcessWorkloads;
import io.ventiapi.runner.queue.ScanRunner;
import io.ventiapi.tenancy.TenantId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The scan pipeline's runner-side figures (docs/benchmarks.md, issue 6), against the local Redis
 * (127.0.0.1:6379, keys under a fresh {@code bench:<uuid>:} prefix, deleted after):
 *
 * <ol>
 *   <li>enqueue → {@code RUNNING} with the local launcher: a job added to the jobs stream until the
 *       real engine, in its child JVM, printed {@code scan.started} and the runner published it;
 *       one scan at a time, against a trivial target on 127.0.0.1;
 *   <li>the drain of 1,000 queued scans across 20 tenants, each capped at 3 concurrent scans, by
 *       two runners of 4 slots each, the engine replaced by a trivial workload that prints the
 *       same events and takes {@code -Dbench.workMillis} (50 ms); and the wait of one scan of a
 *       21st tenant queued behind all of them, against the time one scan holds a slot.
 * </ol>
 */
public final class PipelineBenchmark {

    private static final JobSeal SEAL = JobSeal.of(JobSeal.newKey());

    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: bench, version: "1"}
            paths:
              /ping:
                get:
                  responses:
                    "200": {description: ok}
            """;

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int latencyScans = Integer.getInteger("bench.latencyScans", 20);
        int drainScans = Integer.getInteger("bench.drainScans", 1000);
        int tenants = Integer.getInteger("bench.tenants", 20);
        long workMillis = Long.getLong("bench.workMillis", 50);
        var config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");
        RedissonClient redis = Redisson.create(config);
        var prefix = "bench:" + UUID.randomUUID() + ":";
        try {
            enqueueToRunning(redis, prefix + "latency:", latencyScans);
            drain(redis, prefix + "drain:", drainScans, tenants, workMillis);
        } finally {
            redis.getKeys().deleteByPattern(prefix + "*");
            redis.shutdown();
        }
    }

    private static void enqueueToRunning(RedissonClient redis, String prefix, int scans) throws Exception {
        var target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            var body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        var workloads = new LocalProcessWorkloads(
                new LocalLauncherProperties(List.of(), null, Duration.ofSeconds(5)),
                new ScanEgressPlanner(HostResolver.SYSTEM, true, false));
        var runner = new ScanRunner(redis, properties(prefix, "latency", 2), workloads, SEAL);
        runner.start();
        var jobs = redis.<String, String>getStream(prefix + "jobs", StringCodec.INSTANCE);
        var events = redis.<String, String>getStream(prefix + "events", StringCodec.INSTANCE);
        var latencies = new ArrayList<Double>();
        var cursor = StreamMessageId.ALL;
        try {
            for (int i = 0; i < scans + 2; i++) { // the first two warm the JVM's class data up
                var scanId = "latency-" + i;
                long start = System.nanoTime();
                jobs.add(StreamAddArgs.entries(ScanJobCodec.encode(
                        job(
                                scanId,
                                "bench",
                                URI.create("http://127.0.0.1:"
                                        + target.getAddress().getPort())),
                        2,
                        SEAL)));
                cursor = awaitStarted(events, cursor, scanId);
                if (i >= 2) {
                    latencies.add((System.nanoTime() - start) / 1e6);
                }
                awaitEnded(events, scanId);
            }
        } finally {
            runner.close();
            target.stop(0);
        }
        Collections.sort(latencies);
        System.out.printf(
                "enqueue -> RUNNING, local launcher (real engine JVM), %d scans: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                latencies.size(), percentile(latencies, 50), percentile(latencies, 99), latencies.getLast());
    }

    private static void drain(RedissonClient redis, String prefix, int scans, int tenants, long workMillis)
            throws Exception {
        var started = new ConcurrentHashMap<String, Long>();
        ScanWorkloads trivial = job -> new RunningScan() {
            @Override
            public void follow(Consumer<String> lines) throws InterruptedException {
                started.putIfAbsent(job.scanId(), System.nanoTime());
                lines.accept("{\"v\":1,\"type\":\"scan.started\",\"scanId\":\"" + job.scanId() + "\",\"seq\":0}");
                Thread.sleep(workMillis);
                lines.accept("{\"v\":1,\"type\":\"scan.finished\",\"scanId\":\"" + job.scanId() + "\",\"seq\":1}");
            }

            @Override
            public WorkloadOutcome outcome() {
                return new WorkloadOutcome.Succeeded();
            }

            @Override
            public void cancel() {}

            @Override
            public void close() {}
        };
        var jobs = redis.<String, String>getStream(prefix + "jobs", StringCodec.INSTANCE);
        var events = redis.<String, String>getStream(prefix + "events", StringCodec.INSTANCE);
        long start = System.nanoTime();
        for (int i = 0; i < scans - 1; i++) {
            var tenant = "busy-" + (i % (tenants - 1));
            jobs.add(StreamAddArgs.entries(
                    ScanJobCodec.encode(job("drain-" + i, tenant, URI.create("http://127.0.0.1:1")), 3, SEAL)));
        }
        long loneQueued = System.nanoTime();
        jobs.add(StreamAddArgs.entries(
                ScanJobCodec.encode(job("lone", "lone", URI.create("http://127.0.0.1:1")), 3, SEAL)));
        var runners = List.of(
                new ScanRunner(redis, properties(prefix, "drain-a", 4), trivial, SEAL),
                new ScanRunner(redis, properties(prefix, "drain-b", 4), trivial, SEAL));
        long runnersStarted = System.nanoTime();
        runners.forEach(ScanRunner::start);
        try {
            while (endings(events) < scans) {
                Thread.sleep(50);
            }
        } finally {
            runners.forEach(ScanRunner::close);
        }
        long end = System.nanoTime();
        var loneWait = (started.get("lone") - Math.max(loneQueued, runnersStarted)) / 1e6;
        System.out.printf(
                "drain: %d scans, %d tenants (cap 3 each), 2 runners x 4 slots, %d ms per scan: %.1f s (%.0f scans/s;"
                        + " ideal with 8 slots %.1f s)%n",
                scans,
                tenants,
                workMillis,
                (end - runnersStarted) / 1e9,
                scans / ((end - runnersStarted) / 1e9),
                scans * workMillis / 8 / 1000.0);
        long loneStart = started.get("lone");
        long before = started.values().stream().filter(t -> t < loneStart).count();
        System.out.printf(
                "lone tenant's scan queued behind %d others: started %.0f ms after the runners started"
                        + " (%.1f x one scan's %d ms), after %d other scans had started on 8 slots%n",
                scans - 1, loneWait, loneWait / workMillis, workMillis, before);
        System.out.printf("(enqueueing %d jobs took %.0f ms)%n", scans, (runnersStarted - start) / 1e6);
    }

    private static ScanJob job(String scanId, String tenant, URI target) {
        return new ScanJob(
                scanId,
                TenantId.of(tenant),
                ScannerKind.VENTI,
                null,
                target,
                "SAFE",
                100,
                100,
                Duration.ofMinutes(2),
                SPEC,
                List.of(),
                null);
    }

    private static RunnerProperties properties(String prefix, String name, int concurrency) {
        return new RunnerProperties(
                concurrency, Duration.ofSeconds(30), "local", name, prefix + "jobs", prefix + "events", "runners", 3);
    }

    private static StreamMessageId awaitStarted(RStream<String, String> events, StreamMessageId after, String scanId) {
        var cursor = after;
        while (true) {
            Map<StreamMessageId, Map<String, String>> read =
                    events.read(StreamReadArgs.greaterThan(cursor).count(100).timeout(Duration.ofSeconds(5)));
            for (var entry : read.entrySet()) {
                cursor = entry.getKey();
                var line = entry.getValue().getOrDefault("line", "");
                if (scanId.equals(entry.getValue().get("scanId")) && line.contains("\"scan.started\"")) {
                    return cursor;
                }
            }
        }
    }

    private static void awaitEnded(RStream<String, String> events, String scanId) throws InterruptedException {
        while (events.range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                .noneMatch(e -> scanId.equals(e.get("scanId")) && "workload".equals(e.get("kind")))) {
            Thread.sleep(20);
        }
    }

    private static long endings(RStream<String, String> events) {
        return events.range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                .filter(e -> "workload".equals(e.get("kind")))
                .count();
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
