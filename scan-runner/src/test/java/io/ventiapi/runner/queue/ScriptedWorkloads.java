package io.ventiapi.runner.queue;

import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for where workloads run: each engine "workload" prints two events and ends, or waits
 * for the test to let it go; a ZAP or custom one prints its report (by default the ZAP JSON report
 * and the SARIF report of {@code src/test/resources/reports}) after the wait. Records what was
 * started, how many ran at once, and per scan whether it was attached to rather than started twice.
 * A workload outlives a follower that was interrupted (as a Kubernetes Job outlives its runner)
 * until it ends, is cancelled or is stopped.
 */
final class ScriptedWorkloads implements ScanWorkloads {

    private static final ScanEventCodec CODEC = new ScanEventCodec();

    final List<String> started = new CopyOnWriteArrayList<>();
    /** Scan id and scanner kind of each start, in order. */
    final List<String> startedParts = new CopyOnWriteArrayList<>();
    /** The time box each start was given. */
    final List<java.time.Duration> timeBoxes = new CopyOnWriteArrayList<>();
    /** Scanners whose workloads crash (exit code 2, no scan.finished). */
    final Set<ScannerKind> crashing = ConcurrentHashMap.newKeySet();
    /** What a crashing workload says of its end. */
    volatile String crashReason = "exit code 2";
    /** What the workloads of a scanner other than the engine print, when the test says. */
    final Map<ScannerKind, List<String>> output = new ConcurrentHashMap<>();
    /** Scans whose workload was cancelled (by a user, or by the runner). */
    final List<String> cancelledScans = new CopyOnWriteArrayList<>();
    /** Thrown by {@link #startOrAttach} when set: the launcher itself failed (an API server's error, say). */
    volatile RuntimeException launcherFailure;

    final Map<String, AtomicInteger> startCalls = new ConcurrentHashMap<>();
    /** Scans whose workload was started and has not ended, been cancelled or been stopped. */
    final Set<String> alive = ConcurrentHashMap.newKeySet();
    /** Scans whose workload {@link #stopIfRunning} found alive and stopped. */
    final List<String> stopped = new CopyOnWriteArrayList<>();
    /** Scans whose workload a runner removed ({@link RunningScan#close}), once per workload. */
    final List<String> closed = new CopyOnWriteArrayList<>();
    /** Scans whose workload a runner left to another ({@link RunningScan#handOver}). */
    final List<String> handedOver = new CopyOnWriteArrayList<>();
    /** Called with the scan's id as a runner removes one of its workloads, before it is gone. */
    volatile Consumer<String> whenClosing = scanId -> {};

    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private volatile boolean hold;

    /** From now on workloads wait in {@code follow} until {@link #release} lets them end. */
    ScriptedWorkloads holding() {
        hold = true;
        return this;
    }

    void release(String scanId) {
        gate(scanId).countDown();
    }

    void releaseAll() {
        hold = false;
        gates.values().forEach(CountDownLatch::countDown);
    }

    private CountDownLatch gate(String scanId) {
        return gates.computeIfAbsent(scanId, id -> new CountDownLatch(1));
    }

    @Override
    public RunningScan startOrAttach(ScanJob job) {
        if (launcherFailure != null) {
            throw launcherFailure;
        }
        startCalls.computeIfAbsent(job.scanId(), id -> new AtomicInteger()).incrementAndGet();
        started.add(job.scanId());
        startedParts.add(job.scanId() + ":" + job.kind());
        timeBoxes.add(job.timeBox());
        alive.add(job.scanId());
        return new RunningScan() {
            private volatile WorkloadOutcome outcome;
            private volatile boolean cancelled;

            @Override
            public void follow(Consumer<String> lines) throws InterruptedException {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    if (job.kind() != ScannerKind.VENTI) {
                        printReport(lines);
                        return;
                    }
                    lines.accept(CODEC.toLine(new ScanEvent.ScanStarted(
                            job.scanId(), 0, Instant.now(), job.target().toString(), "test", 1, "SAFE", 0)));
                    if (hold) {
                        gate(job.scanId()).await();
                    }
                    if (cancelled) {
                        outcome = new WorkloadOutcome.Cancelled();
                    } else if (crashing.contains(job.kind())) {
                        outcome = new WorkloadOutcome.Failed(crashReason);
                    } else {
                        lines.accept(CODEC.toLine(new ScanEvent.ScanFinished(
                                job.scanId(),
                                1,
                                Instant.now(),
                                ScanEvent.ScanOutcome.COMPLETED,
                                null,
                                5,
                                10,
                                Map.of(Severity.HIGH, 1))));
                        outcome = new WorkloadOutcome.Succeeded();
                    }
                    alive.remove(job.scanId());
                } finally {
                    concurrent.decrementAndGet();
                }
            }

            /** A scanner with a report prints nothing but the report, at its end. */
            private void printReport(Consumer<String> lines) throws InterruptedException {
                if (hold) {
                    gate(job.scanId()).await();
                }
                if (!cancelled && crashing.contains(job.kind())) {
                    outcome = new WorkloadOutcome.Failed(crashReason);
                } else {
                    for (var line : output.getOrDefault(job.kind(), defaultReport(job.kind()))) {
                        if (cancelled) {
                            break;
                        }
                        lines.accept(line);
                    }
                    outcome = cancelled ? new WorkloadOutcome.Cancelled() : new WorkloadOutcome.Succeeded();
                }
                alive.remove(job.scanId());
            }

            @Override
            public WorkloadOutcome outcome() {
                return outcome;
            }

            @Override
            public void cancel() {
                cancelled = true;
                cancelledScans.add(job.scanId());
                alive.remove(job.scanId());
                release(job.scanId());
            }

            @Override
            public void handOver() {
                handedOver.add(job.scanId());
            }

            @Override
            public void close() {
                whenClosing.accept(job.scanId());
                closed.add(job.scanId());
            }
        };
    }

    static List<String> defaultReport(ScannerKind kind) {
        var name = kind == ScannerKind.ZAP ? "zap-api-scan.json" : "custom-scanner.sarif";
        try (var in = ScriptedWorkloads.class.getResourceAsStream("/reports/" + name)) {
            return framed(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A report as a scanner prints it: between the runner's markers, amid log lines. */
    static List<String> framed(List<String> report) {
        var lines = new java.util.ArrayList<String>();
        lines.add("progress: scanning");
        lines.add(io.ventiapi.runner.importer.ScannerReport.BEGIN);
        lines.addAll(report);
        lines.add(io.ventiapi.runner.importer.ScannerReport.END);
        lines.add("progress: done");
        return lines;
    }

    @Override
    public void stopIfRunning(TenantId tenant, String scanId) {
        if (alive.remove(scanId)) {
            stopped.add(scanId);
            release(scanId);
        }
    }
}
