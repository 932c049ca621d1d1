package io.ventiapi.runner.launch.kubernetes;

import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.WorkloadOutcome;
import java.util.function.Consumer;

/** A scan whose workload was never created, e.g. because its target does not resolve. */
record NotStartedScan(String reason) implements RunningScan {

    @Override
    public void follow(Consumer<String> lines) {}

    @Override
    public WorkloadOutcome outcome() {
        return new WorkloadOutcome.Failed(reason);
    }

    @Override
    public void cancel() {}

    @Override
    public void close() {}
}
