package io.ventiapi.runner.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.protocol.JobSeal;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.RunnerProperties;
import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.RSet;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The runner against the local Redis, with stand-in workloads. */
class ScanRunnerTest {

    private static final ScanEventCodec CODEC = new ScanEventCodec();

    private static final JobSeal SEAL = JobSeal.of(JobSeal.newKey());

    /** The origin the recorded reports in {@code src/test/resources/reports} are about. */
    private static final URI TARGET = URI.create("http://127.0.0.1:8081/api/v1");

    private RedissonClient redis;
    private String prefix;
    private final List<ScanRunner> runners = new ArrayList<>();

    @BeforeEach
    void connect() {
        var config = new Config();
        config.useSingleServer()
                .setAddress("redis://" + env("VENTI_TEST_REDIS_HOST", "127.0.0.1") + ":"
                        + env("VENTI_TEST_REDIS_PORT", "6379"));
        redis = Redisson.create(config);
        prefix = "test:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void disconnect() {
        runners.forEach(ScanRunner::close);
        redis.getKeys().deleteByPattern(prefix + "*");
        redis.shutdown();
    }

    private ScanRunner runner(ScriptedWorkloads workloads, int concurrency, Duration visibility) {
        return runner(workloads, concurrency, visibility, null);
    }

    /** @param events where the runner publishes; null: the test's events stream */
    private ScanRunner runner(
            ScriptedWorkloads workloads, int concurrency, Duration visibility, ScanEventPublisher events) {
        var properties = new RunnerProperties(
                concurrency,
                visibility,
                "local",
                "runner-" + runners.size(),
                prefix + "jobs",
                prefix + "events",
                "runners",
                2);
        var runner = events == null
                ? new ScanRunner(redis, properties, workloads, SEAL)
                : new ScanRunner(redis, properties, workloads, SEAL, events);
        runners.add(runner);
        runner.start();
        return runner;
    }

    private void enqueue(String scanId, String tenant, int tenantConcurrency) {
        enqueue(scanId, tenant, tenantConcurrency, List.of(ScannerKind.VENTI));
    }

    private void enqueue(String scanId, String tenant, int tenantConcurrency, List<ScannerKind> kinds) {
        jobs().add(StreamAddArgs.entries(entry(scanId, tenant, tenantConcurrency, kinds)));
    }

    /**
     * What Redis losing its data (a restart without persistence, a failover) does to the jobs
     * stream: it is gone, its group with it, and the next job added creates it anew, without the
     * group. Here both in one transaction, so that the job is on the new stream before any runner
     * reads again: one that created the group from the new stream's end would skip it.
     */
    private void loseTheJobsThenEnqueue(String scanId, String tenant, int tenantConcurrency) {
        var batch =
                redis.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
        var stream = batch.<String, String>getStream(prefix + "jobs", StringCodec.INSTANCE);
        stream.deleteAsync();
        stream.addAsync(StreamAddArgs.entries(entry(scanId, tenant, tenantConcurrency, List.of(ScannerKind.VENTI))));
        batch.execute();
    }

    private static Map<String, String> entry(
            String scanId, String tenant, int tenantConcurrency, List<ScannerKind> kinds) {
        return entry(scanId, tenant, tenantConcurrency, kinds, List.of());
    }

    private static Map<String, String> entry(
            String scanId, String tenant, int tenantConcurrency, List<ScannerKind> kinds, List<String> identities) {
        var job = new ScanJob(
                scanId,
                TenantId.of(tenant),
                kinds.getFirst(),
                null,
                TARGET,
                "SAFE",
                1,
                1,
                Duration.ofMinutes(10),
                "openapi: 3.0.3",
                identities,
                null);
        return ScanJobCodec.encode(job, kinds, tenantConcurrency, SEAL);
    }

    private RStream<String, String> jobs() {
        return redis.getStream(prefix + "jobs", StringCodec.INSTANCE);
    }

    private List<Map<String, String>> events() {
        return new ArrayList<>(redis.<String, String>getStream(prefix + "events", StringCodec.INSTANCE)
                .range(StreamMessageId.MIN, StreamMessageId.MAX)
                .values());
    }

    private List<ScanEvent> engineEvents() {
        return events().stream()
                .filter(e -> e.get("kind").equals("engine"))
                .map(e -> CODEC.parse(e.get("line")))
                .toList();
    }

    private List<Map<String, String>> endings() {
        return events().stream().filter(e -> e.get("kind").equals("workload")).toList();
    }

    @Test
    void aJobRunsItsEventsArePublishedAndOnlyThenItIsAcknowledged() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 2, Duration.ofSeconds(30));

        enqueue("scan-a", "acme", 2);
        waitUntil(() -> endings().size() == 1);

        var events = events();
        assertThat(events).extracting(e -> e.get("kind")).containsExactly("engine", "engine", "workload");
        assertThat(events.getFirst()).containsEntry("scanId", "scan-a").containsEntry("tenant", "acme");
        assertThat(events.getLast()).containsEntry("outcome", "SUCCEEDED");
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
    }

    /**
     * A runner that dies after removing a workload and before acknowledging its job would leave the
     * next runner nothing to attach to: it would run the whole scan again.
     */
    @Test
    void aWorkloadIsRemovedOnlyAfterItsEndWasPublishedAndItsJobAcknowledged() {
        var workloads = new ScriptedWorkloads();
        var atRemoval = new java.util.concurrent.CopyOnWriteArrayList<String>();
        workloads.whenClosing =
                scanId -> atRemoval.add(endings().size() + " end(s) published, " + jobs().size() + " job(s) left");
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("removed-last", "acme", 1);
        waitUntil(() -> workloads.closed.size() == 1);

        assertThat(atRemoval).containsExactly("1 end(s) published, 0 job(s) left");
        assertThat(endings()).singleElement().satisfies(end -> assertThat(end).containsEntry("outcome", "SUCCEEDED"));
    }

    /** Every scanner's workload of a scan stays until its end is told: the last one included. */
    @Test
    void theWorkloadsOfEveryScannerOfAScanAreRemovedAfterItsEnd() {
        var workloads = new ScriptedWorkloads();
        var atRemoval = new java.util.concurrent.CopyOnWriteArrayList<String>();
        workloads.whenClosing = scanId -> atRemoval.add(endings().size() + " end(s) published");
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("two-parts", "acme", 1, List.of(ScannerKind.VENTI, ScannerKind.ZAP));
        waitUntil(() -> workloads.closed.size() == 2);

        assertThat(atRemoval).containsExactly("1 end(s) published", "1 end(s) published");
    }

    /**
     * Redis away for longer than the publisher waits: the end cannot be published, nor the failure
     * told instead. The job must not stay held (its heartbeat renewed for ever, the scan RUNNING for
     * good) nor its workload be removed: it is let go, taken over once its visibility timeout passed
     * (here by the same runner, the only one), attached to, and its end told then.
     */
    @Test
    void aJobWhoseEndCouldNotBePublishedIsTakenOverAndItsWorkloadAttachedTo() {
        var workloads = new ScriptedWorkloads();
        var failedEnds = new java.util.concurrent.atomic.AtomicInteger();
        var events = new ScanEventPublisher(
                streamFailingFirstEnds(redis.getStream(prefix + "events", StringCodec.INSTANCE), failedEnds),
                Duration.ZERO);
        runner(workloads, 1, Duration.ofSeconds(1), events);

        enqueue("unpublished", "acme", 1);
        waitUntil(() -> endings().size() == 1);

        assertThat(failedEnds.get()).isEqualTo(2);
        assertThat(workloads.startCalls.get("unpublished").get()).isEqualTo(3);
        // Left to be attached to after each failure; removed once, after the end was told.
        assertThat(workloads.handedOver).containsExactly("unpublished", "unpublished");
        waitUntil(() -> jobs().size() == 0 && workloads.closed.size() == 1);
        assertThat(endings()).singleElement().satisfies(end -> assertThat(end).containsEntry("outcome", "SUCCEEDED"));
    }

    /** The real stream, whose first two {@code XADD}s of a workload's end fail as when Redis is away. */
    @SuppressWarnings("unchecked")
    private static RStream<String, String> streamFailingFirstEnds(
            RStream<String, String> stream, java.util.concurrent.atomic.AtomicInteger failedEnds) {
        return (RStream<String, String>) java.lang.reflect.Proxy.newProxyInstance(
                RStream.class.getClassLoader(), new Class<?>[] {RStream.class}, (proxy, method, args) -> {
                    if (method.getName().equals("add")
                            && args.length == 1
                            && args[0] instanceof org.redisson.api.stream.StreamAddParams<?, ?> entry
                            && ScanStreams.KIND_WORKLOAD.equals(
                                    entry.getEntries().get(ScanStreams.KIND))
                            && failedEnds.get() < 2) {
                        failedEnds.incrementAndGet();
                        throw new org.redisson.client.RedisConnectionException("Unable to connect to Redis server");
                    }
                    try {
                        return method.invoke(stream, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aScanOfSeveralScannersRunsThemInTurnAndTellsOneStartAndOneEnd() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 2, Duration.ofSeconds(30));

        enqueue("both", "acme", 2, List.of(ScannerKind.VENTI, ScannerKind.ZAP));
        waitUntil(() -> endings().size() == 1);

        // Each in turn, within what is left of the scan's 10-minute time box.
        assertThat(workloads.startedParts).containsExactly("both:VENTI", "both:ZAP");
        assertThat(workloads.timeBoxes)
                .allSatisfy(box -> assertThat(box).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
        var lines = engineEvents();
        // The engine's start, each scanner's start as progress, ZAP's findings from its report, and one end.
        assertThat(lines).hasSize(7).first().isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(lines.subList(1, 3))
                .extracting(line -> ((ScanEvent.Progress) line).phase())
                .containsExactly("venti", "zap");
        assertThat(((ScanEvent.Progress) lines.get(2)).requestsSent()).isEqualTo(5);
        assertThat(lines.subList(3, 6))
                .allSatisfy(line -> assertThat(line).isInstanceOf(ScanEvent.FindingReported.class))
                .extracting(line -> ((ScanEvent.FindingReported) line).finding().ruleId())
                .containsExactly("zap.40018", "zap.10021", "zap.40024");
        // Each line says which scanner's it is: the engine's are the first part, ZAP's and the end the second.
        assertThat(events().stream().filter(e -> e.get("kind").equals("engine")))
                .extracting(e -> e.get(ScanStreams.PART) + "/" + e.get(ScanStreams.PARTS))
                .containsExactly("0/2", "0/2", "1/2", "1/2", "1/2", "1/2", "1/2");
        assertThat(lines.getLast().seq()).isGreaterThan(lines.get(2).seq());
        var end = (ScanEvent.ScanFinished) lines.getLast();
        assertThat(end.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
        assertThat(end.requestsSent()).isEqualTo(5);
        assertThat(end.findingsBySeverity()).containsEntry(Severity.HIGH, 3).containsEntry(Severity.LOW, 1);
        assertThat(endings().getFirst()).containsEntry("outcome", "SUCCEEDED");
    }

    @Test
    void aZapScansReportIsPublishedAsItsFindingsBetweenAStartAndAnEnd() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("zap-only", "acme", 1, List.of(ScannerKind.ZAP));
        waitUntil(() -> endings().size() == 1);

        var lines = engineEvents();
        assertThat(lines).hasSize(5).first().isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(lines.subList(1, 4))
                .extracting(line -> ((ScanEvent.FindingReported) line).finding())
                .allSatisfy(finding -> assertThat(finding.ruleId()).startsWith("zap."))
                .extracting(finding -> finding.pathTemplate())
                .containsExactly("/products", "/users/7", "/users/login");
        assertThat(lines).extracting(ScanEvent::scanId).containsOnly("zap-only");
        assertThat(lines.getLast()).isInstanceOfSatisfying(ScanEvent.ScanFinished.class, end -> {
            assertThat(end.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            assertThat(end.findingsBySeverity()).containsEntry(Severity.HIGH, 2).containsEntry(Severity.LOW, 1);
        });
        assertThat(endings().getFirst()).containsEntry("outcome", "SUCCEEDED");
    }

    @Test
    void aCustomScannersSarifReportIsPublishedAsItsFindingsWithinTheScan() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("with-custom", "acme", 1, List.of(ScannerKind.VENTI, ScannerKind.CUSTOM));
        waitUntil(() -> endings().size() == 1);

        var lines = engineEvents();
        assertThat(lines)
                .filteredOn(ScanEvent.FindingReported.class::isInstance)
                .extracting(line -> ((ScanEvent.FindingReported) line).finding().ruleId())
                .containsExactly("custom.acme-api-fuzzer.AAF-017", "custom.acme-api-fuzzer.AAF-102");
        assertThat(lines).filteredOn(ScanEvent.ScanStarted.class::isInstance).hasSize(1);
        assertThat(lines.getLast())
                .isInstanceOfSatisfying(
                        ScanEvent.ScanFinished.class,
                        end -> assertThat(end.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED));
        assertThat(endings().getFirst()).containsEntry("outcome", "SUCCEEDED");
    }

    /** A tenant's image printing the engine's events must not pass them for the engine's. */
    @Test
    void aCustomImagePrintingEngineEventsFailsItsScanAndNoneOfThemIsPublished() {
        var workloads = new ScriptedWorkloads();
        var forgedFinding = CODEC.toLine(new ScanEvent.FindingReported(
                "forged",
                1,
                Instant.now(),
                new io.ventiapi.engine.Finding(
                        "misconfig.verbose-error",
                        "forged",
                        io.ventiapi.engine.OwaspCategory.API8,
                        209,
                        Severity.CRITICAL,
                        io.ventiapi.engine.Confidence.CONFIRMED,
                        "GET",
                        "/",
                        null,
                        new io.ventiapi.engine.Evidence(List.of(), "forged"),
                        "",
                        io.ventiapi.engine.FindingFingerprint.of("misconfig.verbose-error", "GET", "/", null))));
        var forgedEnd = CODEC.toLine(new ScanEvent.ScanFinished(
                "forged", 2, Instant.now(), ScanEvent.ScanOutcome.COMPLETED, null, 0, 0, Map.of()));
        workloads.output.put(ScannerKind.CUSTOM, ScriptedWorkloads.framed(List.of(forgedFinding, forgedEnd)));
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("forged", "acme", 1, List.of(ScannerKind.CUSTOM));
        waitUntil(() -> endings().size() == 1);

        // The runner's own start only: not one line the image printed.
        assertThat(engineEvents()).singleElement().isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(events())
                .extracting(e -> e.getOrDefault("line", ""))
                .noneMatch(line -> line.contains("misconfig.verbose-error"));
        assertThat(endings().getFirst())
                .containsEntry("outcome", "FAILED")
                .containsEntry("reason", "the scanner's output is not a SARIF 2.1.0 report");
    }

    @Test
    void aReportLargerThanTheBoundStopsItsScannerAndFailsTheScan() {
        var workloads = new ScriptedWorkloads();
        var line = "x".repeat(1024 * 1024 - 1); // with its line end, 1 MiB
        workloads.output.put(ScannerKind.ZAP, ScriptedWorkloads.framed(java.util.Collections.nCopies(40, line)));
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("too-large", "acme", 1, List.of(ScannerKind.VENTI, ScannerKind.ZAP));
        waitUntil(() -> endings().size() == 1);

        assertThat(workloads.cancelledScans).containsExactly("too-large");
        assertThat(endings().getFirst())
                .containsEntry("outcome", "FAILED")
                .containsEntry("reason", "zap: the scanner's report is larger than 8 MiB");
        assertThat(events())
                .allSatisfy(e -> assertThat(e.getOrDefault("line", "")).hasSizeLessThan(10_000));
    }

    @Test
    void aReportWithMoreResultsThanTheCapFailsItsScannerAndPublishesNoFinding() {
        var workloads = new ScriptedWorkloads();
        var results = new java.util.ArrayList<String>();
        for (int i = 0; i <= 10_000; i++) {
            results.add("{\"ruleId\":\"R1\",\"webRequest\":{\"method\":\"GET\","
                    + "\"target\":\"http://127.0.0.1:8081/items/" + i + "\"}}");
        }
        var sarif = "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":["
                + String.join(",", results) + "]}]}";
        workloads.output.put(ScannerKind.CUSTOM, ScriptedWorkloads.framed(List.of(sarif)));
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("many", "acme", 1, List.of(ScannerKind.CUSTOM));
        waitUntil(() -> endings().size() == 1);

        assertThat(engineEvents()).singleElement().isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(endings().getFirst())
                .containsEntry("outcome", "FAILED")
                .containsEntry(
                        "reason", "the scanner's report holds more than 10,000 results (or 1,000,000 JSON values)");
    }

    @Test
    void aCrashingScannerOfSeveralFailsTheScanNamingItAndTheRestDoNotRun() {
        var workloads = new ScriptedWorkloads();
        workloads.crashing.add(ScannerKind.ZAP);
        runner(workloads, 2, Duration.ofSeconds(30));

        enqueue("zap-first", "acme", 2, List.of(ScannerKind.ZAP, ScannerKind.VENTI));
        waitUntil(() -> endings().size() == 1);

        assertThat(workloads.startedParts).containsExactly("zap-first:ZAP");
        assertThat(endings().getFirst()).containsEntry("outcome", "FAILED").containsEntry("reason", "zap: exit code 2");
    }

    @Test
    void aFailingScannerQuotingAKeyItWasGivenFailsTheScanWithoutTheKey() {
        var workloads = new ScriptedWorkloads();
        workloads.crashing.add(ScannerKind.CUSTOM);
        workloads.crashReason = "exit code 3: the target answered 500 {\"echo\":\"k3y-of-acme-2041\"}";
        runner(workloads, 1, Duration.ofSeconds(30));

        // The key the job gave the scanner: the project's may have changed since it was queued.
        jobs().add(StreamAddArgs.entries(entry(
                "quoting", "acme", 1, List.of(ScannerKind.CUSTOM), List.of("type=bearer,token=k3y-of-acme-2041"))));
        waitUntil(() -> endings().size() == 1);

        assertThat(endings().getFirst())
                .containsEntry("outcome", "FAILED")
                .hasEntrySatisfying(
                        "reason",
                        reason -> assertThat(reason)
                                .startsWith("exit code 3: the target answered 500")
                                .doesNotContain("k3y-of-acme-2041"));
    }

    @Test
    void aLauncherFailureFailsTheScanWithoutItsTextWhichIsForTheOperator() {
        var workloads = new ScriptedWorkloads();
        workloads.launcherFailure = new IllegalStateException(
                "Failure executing: POST at: https://10.96.0.1:443/apis/batch/v1/namespaces/venti-t-acme/jobs."
                        + " Message: admission webhook \"policy.internal.example\" denied the request");
        runner(workloads, 1, Duration.ofSeconds(30));

        enqueue("launcher-failed", "acme", 1);
        waitUntil(() -> endings().size() == 1);

        assertThat(endings().getFirst())
                .containsEntry("outcome", "FAILED")
                .hasEntrySatisfying(
                        "reason",
                        reason -> assertThat(reason)
                                .contains("the runner's log has the details")
                                .doesNotContain("10.96.0.1", "webhook", "venti-t-acme"));
    }

    @Test
    void aScanPublishedTwiceRunsOnceAndBothEntriesAreAcknowledged() {
        var workloads = new ScriptedWorkloads();
        enqueue("twice", "acme", 2);
        enqueue("twice", "acme", 2);

        runner(workloads, 2, Duration.ofSeconds(30));
        waitUntil(
                () -> endings().size() == 1 && jobs().getPendingInfo("runners").getTotal() == 0);

        assertThat(workloads.started).containsExactly("twice");
        assertThat(endings()).hasSize(1);
    }

    @Test
    void theStreamKeepsNoEntryOfAJobThatEndedWasADuplicateOrCouldNotBeRead() {
        var workloads = new ScriptedWorkloads();
        enqueue("kept-not", "acme", 2);
        enqueue("kept-not", "acme", 2); // published twice
        jobs().add(StreamAddArgs.entries(Map.of("job", "{not json")));

        runner(workloads, 1, Duration.ofSeconds(30));
        waitUntil(
                () -> endings().size() == 1 && jobs().getPendingInfo("runners").getTotal() == 0);

        // Nothing of the job (its spec, its sealed credentials) is left in Redis.
        assertThat(jobs().size()).isZero();
        assertThat(workloads.started).containsExactly("kept-not");
    }

    /**
     * A runner that stalls past the visibility timeout (a long pause, a partition) finds at its next
     * heartbeat that another runner took its job over. It must let the job go, not claim it back:
     * else both would run the scan. The takeover is played here by claiming the entry for another
     * consumer, and renewing it as that runner's heartbeat would.
     */
    @Test
    void aRunnerWhoseJobWasTakenOverLetsItGoInsteadOfClaimingItBack() {
        var workloads = new ScriptedWorkloads().holding();
        var stalled = runner(workloads, 1, Duration.ofSeconds(3)); // beats every second
        var scanId = unique("contested");
        enqueue(scanId, "acme", 2);
        waitUntil(() -> workloads.concurrent.get() == 1);
        var entry = jobs().range(StreamMessageId.MIN, StreamMessageId.MAX)
                .keySet()
                .iterator()
                .next();

        try {
            waitUntil(() -> {
                jobs().fastClaim("runners", "new-owner", 0, TimeUnit.MILLISECONDS, entry);
                return stalled.runningCount() == 0;
            });

            assertThat(jobs().listPending("runners", StreamMessageId.MIN, StreamMessageId.MAX, 10))
                    .singleElement()
                    .satisfies(pending -> {
                        assertThat(pending.getId()).isEqualTo(entry);
                        assertThat(pending.getConsumerName()).isEqualTo("new-owner");
                    });
            // It told no outcome, and left the workload running for the new owner to attach to.
            assertThat(endings()).isEmpty();
            assertThat(workloads.alive).contains(scanId);
            assertThat(workloads.cancelledScans).isEmpty();
            assertThat(jobs().size()).isEqualTo(1);
        } finally {
            workloads.releaseAll();
        }
    }

    @Test
    void aTenantWithManyQueuedScansDelaysAnotherTenantsScanByAtMostOneSlot() {
        // More than one read's worth, so the lone scan sits deep in the stream behind them.
        for (int i = 0; i < 350; i++) {
            enqueue("big-" + i, "big", 10);
        }
        enqueue("small-0", "small", 10);
        var workloads = new ScriptedWorkloads().holding();

        runner(workloads, 1, Duration.ofSeconds(30));
        waitUntil(() -> workloads.started.size() == 1);
        workloads.release(workloads.started.getFirst());
        waitUntil(() -> workloads.started.size() == 2);

        assertThat(workloads.started).hasSize(2).contains("small-0");
        workloads.releaseAll();
    }

    @Test
    void aTenantNeverRunsMoreScansAtOnceThanItsCapAcrossRunners() {
        var workloads = new ScriptedWorkloads();
        for (int i = 0; i < 6; i++) {
            enqueue("capped-" + i, "capped", 2);
        }

        runner(workloads, 3, Duration.ofSeconds(30));
        runner(workloads, 3, Duration.ofSeconds(30));
        waitUntil(() -> endings().size() == 6);

        assertThat(workloads.maxConcurrent.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void aJobWhoseRunnerDiedIsTakenOverAndAttachedToNotStartedTwiceInParallel() {
        var workloads = new ScriptedWorkloads().holding();
        var first = runner(workloads, 1, Duration.ofSeconds(1));
        enqueue("orphan", "acme", 2);
        waitUntil(() -> workloads.started.contains("orphan"));

        first.close(); // dies mid-scan: no acknowledgement, no more heartbeats
        workloads.releaseAll();
        runner(workloads, 1, Duration.ofSeconds(1));
        waitUntil(() -> endings().size() == 1);

        assertThat(workloads.startCalls.get("orphan").get()).isEqualTo(2);
        assertThat(endings()).singleElement().satisfies(end -> assertThat(end).containsEntry("outcome", "SUCCEEDED"));
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
    }

    @Test
    void aDeadRunnersJobBehindAThousandLiveOnesIsTakenOverToo() {
        // The first runner holds a full fair queue: a thousand live entries, ahead in the pending list.
        for (int i = 0; i < 1000; i++) {
            enqueue("big-" + i, "big", 1);
        }
        var workloads = new ScriptedWorkloads().holding();
        runner(workloads, 2, Duration.ofSeconds(1));
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 1000);
        enqueue("orphan", "acme", 1);
        var second = runner(workloads, 1, Duration.ofSeconds(1));
        waitUntil(() -> workloads.started.contains("orphan"));

        second.close(); // dies mid-scan

        waitUntil(() -> workloads.startCalls.get("orphan").get() == 2);
        workloads.releaseAll();
    }

    @Test
    void cancellingStopsARunningScanAndDropsAQueuedOne() {
        var workloads = new ScriptedWorkloads().holding();
        runner(workloads, 1, Duration.ofSeconds(30));
        enqueue("running", "acme", 1);
        enqueue("queued", "acme", 1);
        waitUntil(() -> workloads.started.contains("running"));

        for (var scanId : List.of("queued", "running")) {
            redis.getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE).add(scanId);
            redis.getTopic(ScanStreams.CANCEL_TOPIC, StringCodec.INSTANCE).publish(scanId);
        }
        waitUntil(() -> endings().size() == 2);

        assertThat(endings()).allSatisfy(end -> assertThat(end).containsEntry("outcome", "CANCELLED"));
        assertThat(workloads.started).containsExactly("running");
        redis.getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE).removeAll(List.of("queued", "running"));
    }

    @Test
    void aRunningScanCancelledWhileItsAnnouncementWasMissedIsStoppedAtTheNextHeartbeat() {
        var workloads = new ScriptedWorkloads().holding();
        runner(workloads, 1, Duration.ofSeconds(1));
        var scanId = unique("unheard");
        enqueue(scanId, "acme", 1);
        waitUntil(() -> workloads.concurrent.get() == 1); // past the check right after it started

        try {
            cancelled().add(scanId); // and no announcement: the runner was reconnecting, say
            waitUntil(() -> endings().size() == 1);

            assertThat(endings())
                    .singleElement()
                    .satisfies(end ->
                            assertThat(end).containsEntry("scanId", scanId).containsEntry("outcome", "CANCELLED"));
            assertThat(workloads.alive).doesNotContain(scanId);
        } finally {
            cancelled().remove(scanId);
            workloads.releaseAll();
        }
    }

    @Test
    void aJobTakenOverAfterItsScanWasCancelledStopsTheWorkloadLeftRunningAndStartsNone() {
        var workloads = new ScriptedWorkloads().holding();
        var first = runner(workloads, 1, Duration.ofSeconds(1));
        var scanId = unique("abandoned");
        enqueue(scanId, "acme", 2);
        waitUntil(() -> workloads.concurrent.get() == 1);

        try {
            first.close(); // dies mid-scan: its workload runs on, as a Kubernetes Job would
            cancelAndAnnounce(scanId); // no runner holds the scan: the announcement stops nothing
            runner(workloads, 1, Duration.ofSeconds(1));
            waitUntil(() -> endings().size() == 1);

            assertThat(endings())
                    .singleElement()
                    .satisfies(end ->
                            assertThat(end).containsEntry("scanId", scanId).containsEntry("outcome", "CANCELLED"));
            assertThat(workloads.stopped).containsExactly(scanId);
            assertThat(workloads.alive).doesNotContain(scanId);
            assertThat(workloads.startCalls.get(scanId).get()).isEqualTo(1);
            waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
        } finally {
            cancelled().remove(scanId);
            workloads.releaseAll();
        }
    }

    @Test
    void aTakenOverJobCancelledWhileItWaitsStopsTheWorkloadLeftRunning() {
        var workloads = new ScriptedWorkloads().holding();
        var first = runner(workloads, 1, Duration.ofSeconds(1));
        var scanId = unique("waiting");
        var tenant = unique("t");
        var slots = redis.getPermitExpirableSemaphore("venti:tenant-slots:" + tenant);
        enqueue(scanId, tenant, 1);
        waitUntil(() -> workloads.concurrent.get() == 1);

        try {
            first.close(); // dies mid-scan: its workload runs on
            // The tenant's one slot is taken: the runner that takes the job over keeps it waiting.
            var taken = new ArrayList<String>();
            waitUntil(() -> {
                try {
                    var permit = slots.tryAcquire(0, 60_000, TimeUnit.MILLISECONDS);
                    return permit != null && taken.add(permit);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            runner(workloads, 1, Duration.ofSeconds(1));
            waitUntil(() -> jobs().getPendingInfo("runners").getConsumerNames().getOrDefault("runner-1", 0L) == 1);
            cancelAndAnnounce(scanId);
            waitUntil(() -> endings().size() == 1);

            assertThat(endings())
                    .singleElement()
                    .satisfies(end ->
                            assertThat(end).containsEntry("scanId", scanId).containsEntry("outcome", "CANCELLED"));
            assertThat(workloads.stopped).containsExactly(scanId);
            assertThat(workloads.alive).doesNotContain(scanId);
            assertThat(workloads.startCalls.get(scanId).get()).isEqualTo(1);
        } finally {
            cancelled().remove(scanId);
            slots.delete();
            workloads.releaseAll();
        }
    }

    private RSet<String> cancelled() {
        return redis.getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE);
    }

    private void cancelAndAnnounce(String scanId) {
        cancelled().add(scanId);
        redis.getTopic(ScanStreams.CANCEL_TOPIC, StringCodec.INSTANCE).publish(scanId);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aWaitingJobIsReadAgainWhenItStartsAndFailsClearlyIfItsEntryIsGone() {
        var workloads = new ScriptedWorkloads().holding();
        runner(workloads, 1, Duration.ofSeconds(30));
        enqueue("first", "acme", 5);
        enqueue("second", "acme", 5);
        enqueue("third", "acme", 5);
        waitUntil(() -> workloads.started.size() == 1
                && jobs().getPendingInfo("runners").getTotal() == 3);

        // The runner holds "second" without its job (spec and all); delete its entry meanwhile.
        var second = jobs().range(StreamMessageId.MIN, StreamMessageId.MAX).entrySet().stream()
                .filter(e -> e.getValue().get(ScanJobCodec.JOB).contains("\"second\""))
                .findFirst()
                .orElseThrow()
                .getKey();
        jobs().remove(second);
        workloads.releaseAll();
        waitUntil(() -> endings().size() == 2 && workloads.started.size() == 2);

        // Gone: acknowledged and deleted elsewhere (a runner that took it over ended it). Dropped
        // quietly, and not held any more.
        assertThat(workloads.started).containsExactly("first", "third");
        assertThat(endings()).extracting(e -> e.get("scanId")).containsExactlyInAnyOrder("first", "third");
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
    }

    /**
     * Redis failing between taking a waiting job out of the fair queue and ending it (here: the end
     * of a cancelled scan cannot be published, twice) must not leave the job held and renewed for
     * ever without running: it is let go and taken over after the visibility timeout.
     */
    @Test
    void aWaitingJobThatCouldNotBeEndedIsTakenOverNotHeldForEver() {
        var workloads = new ScriptedWorkloads();
        var failedEnds = new java.util.concurrent.atomic.AtomicInteger();
        var events = new ScanEventPublisher(
                streamFailingFirstEnds(redis.getStream(prefix + "events", StringCodec.INSTANCE), failedEnds),
                Duration.ZERO);
        var scanId = unique("held-cancelled");
        cancelled().add(scanId);
        try {
            runner(workloads, 1, Duration.ofSeconds(1), events);
            enqueue(scanId, "acme", 1);

            waitUntil(() -> endings().size() == 1);

            assertThat(failedEnds.get()).isEqualTo(2);
            assertThat(workloads.started).isEmpty();
            assertThat(endings().getFirst()).containsEntry("scanId", scanId).containsEntry("outcome", "CANCELLED");
            waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
        } finally {
            cancelled().remove(scanId);
        }
    }

    /**
     * Redis lost its data: the jobs stream and its group are gone, and the next job added created
     * the stream anew. Reading failed with NOGROUP, and would for ever; the runner creates the group
     * again, from the new stream's first entry, and runs that job.
     */
    @Test
    void aJobAddedAfterRedisLostTheStreamAndItsGroupRuns() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 1, Duration.ofSeconds(3)); // beats every second
        enqueue("before-loss", "acme", 1);
        waitUntil(() -> endings().size() == 1);

        loseTheJobsThenEnqueue("after-loss", "acme", 1);
        waitUntil(() -> endings().size() == 2);

        assertThat(workloads.started).containsExactly("before-loss", "after-loss");
        assertThat(endings().getLast()).containsEntry("scanId", "after-loss").containsEntry("outcome", "SUCCEEDED");
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0 && jobs().size() == 0);
    }

    /**
     * The jobs a runner held when Redis lost them: none is pending any more, so the heartbeat goes
     * by them (it neither fails on them nor lets them go as taken over). The running one runs to its
     * end, which is told; the waiting one is dropped at its turn, its entry being gone (the api
     * publishes it again); the job added since runs.
     */
    @Test
    void jobsHeldWhenRedisLostThemEndOrAreDroppedAndTheRunnerGoesOn() {
        var workloads = new ScriptedWorkloads().holding();
        var runner = runner(workloads, 1, Duration.ofSeconds(3)); // beats every second
        enqueue("running-at-loss", "acme", 5);
        enqueue("waiting-at-loss", "acme", 5);
        waitUntil(() -> workloads.started.size() == 1
                && jobs().getPendingInfo("runners").getTotal() == 2);

        loseTheJobsThenEnqueue("added-after-loss", "acme", 5);
        waitUntil(() -> pendingJobs() == 1);
        // A heartbeat with the vanished entries held renews the one still there: its idle time drops.
        var lastIdle = new java.util.concurrent.atomic.AtomicLong(pendingIdleMillis());
        waitUntil(() -> {
            var idle = pendingIdleMillis();
            return idle < lastIdle.getAndSet(idle);
        });
        workloads.releaseAll();
        waitUntil(() -> endings().size() == 2 && runner.runningCount() == 0);

        assertThat(workloads.started).containsExactly("running-at-loss", "added-after-loss");
        assertThat(endings())
                .extracting(e -> e.get("scanId") + " " + e.get("outcome"))
                .containsExactly("running-at-loss SUCCEEDED", "added-after-loss SUCCEEDED");
        assertThat(workloads.closed).containsExactly("running-at-loss", "added-after-loss");
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0 && jobs().size() == 0);
    }

    @Test
    void aScanPublishedAgainAfterRedisLostItsJobIsNotStartedAgainByTheRunnerRunningIt() {
        var workloads = new ScriptedWorkloads().holding();
        runner(workloads, 2, Duration.ofSeconds(3));
        enqueue("still-running", "acme", 5);
        waitUntil(() -> workloads.started.contains("still-running"));

        // Redis lost its data, the scan's first-entry key with it, and the api published the job again.
        redis.getBucket(prefix + "jobs:first-entry:still-running").delete();
        loseTheJobsThenEnqueue("still-running", "acme", 5);
        waitUntil(() -> pendingJobs() == 0 && jobs().size() == 0);

        assertThat(workloads.startCalls.get("still-running").get()).isEqualTo(1);
        workloads.releaseAll();
        waitUntil(() -> endings().size() == 1);
        assertThat(workloads.startCalls.get("still-running").get()).isEqualTo(1);
    }

    /** How many jobs are pending; -1 while the group does not exist. */
    private long pendingJobs() {
        try {
            return jobs().getPendingInfo("runners").getTotal();
        } catch (RedisException e) {
            return -1;
        }
    }

    /** How long the one pending job has not been renewed. */
    private long pendingIdleMillis() {
        return jobs().listPending("runners", StreamMessageId.MIN, StreamMessageId.MAX, 10).stream()
                .mapToLong(pending -> pending.getIdleTime())
                .max()
                .orElseThrow();
    }

    @Test
    void aMalformedJobIsDroppedAndTheRunnerGoesOn() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 1, Duration.ofSeconds(30));

        jobs().add(StreamAddArgs.entries(Map.of("job", "{not json")));
        enqueue("fine", "acme", 1);
        waitUntil(() -> endings().size() == 1);

        assertThat(workloads.started).containsExactly("fine");
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
    }

    @Test
    void aJobSealedWithAnotherKeyFailsItsScanWithTheReason() {
        var workloads = new ScriptedWorkloads();
        runner(workloads, 1, Duration.ofSeconds(30));
        var job = new ScanJob(
                "foreign",
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create("http://127.0.0.1:1"),
                "SAFE",
                1,
                1,
                Duration.ofMinutes(1),
                "openapi: 3.0.3",
                List.of("type=bearer,token=abc"),
                null);

        jobs().add(StreamAddArgs.entries(ScanJobCodec.encode(job, 1, JobSeal.of(JobSeal.newKey()))));
        waitUntil(() -> endings().size() == 1);

        assertThat(workloads.started).isEmpty();
        assertThat(endings().getFirst())
                .containsEntry("scanId", "foreign")
                .containsEntry("outcome", "FAILED")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("venti.job-key"));
        waitUntil(() -> jobs().getPendingInfo("runners").getTotal() == 0);
    }

    /** Waits for a condition the runner reaches on its own; fails after a generous bound. */
    private static void waitUntil(BooleanSupplier condition) {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not reached in 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String env(String name, String fallback) {
        var value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
