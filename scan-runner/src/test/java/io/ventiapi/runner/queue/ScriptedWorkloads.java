package io.ventiapi.runner.queue;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.WorkloadOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for where workloads run: each "workload" prints two events and ends, or waits for
 * the test to let it go. Records what was started, how many ran at once, and per scan whether it
 * was attached to rather than started twice.
 */
final class ScriptedWorkloads implements ScanWorkloads {

    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> startCalls = new ConcurrentHashMap<>();
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
        startCalls.computeIfAbsent(job.scanId(), id -> new AtomicInteger()).incrementAndGet();
        started.add(job.scanId());
        return new RunningScan() {
            private volatile WorkloadOutcome outcome;
            private volatile boolean cancelled;

            @Override
            public void follow(Consumer<String> lines) throws InterruptedException {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    lines.accept("{\"v\":1,\"type\":\"scan.started\",\"scanId\":\"" + job.scanId() + "\",\"seq\":0}");
                    if (hold) {
                        gate(job.scanId()).await();
                    }
                    lines.accept("{\"v\":1,\"type\":\"scan.finished\",\"scanId\":\"" + job.scanId() + "\",\"seq\":1}");
                    outcome = cancelled ? new WorkloadOutcome.Cancelled() : new WorkloadOutcome.Succeeded();
                } finally {
                    concurrent.decrementAndGet();
                }
            }

            @Override
            public WorkloadOutcome outcome() {
                return outcome;
            }

            @Override
            public void cancel() {
                cancelled = true;
                release(job.scanId());
            }

            @Override
            public void close() {}
        };
    }
}
