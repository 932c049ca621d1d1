package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.testapi.TestApiScan;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan that runs out of budget or time stops sending, says why, and still ends its event stream properly. */
class ScanLimitsTest {

    @TempDir
    Path workDir;

    @Test
    void stopsAtTheRequestBudgetAndStillDeletesWhatItCreated() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            TestApiScan.Outcome outcome = TestApiScan.scan(
                    api,
                    workDir,
                    ScanProfile.SAFE,
                    new ExecutionLimits(4, 0, 40, Duration.ofMinutes(1), Duration.ofSeconds(10)));

            assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.BUDGET_EXHAUSTED);
            assertThat(outcome.result().reason()).contains("budget of 40");
            assertThat(api.createdOrders())
                    .as("orders created before the budget ran out")
                    .isNotEmpty();
            assertThat(api.existingOrders()).doesNotContainAnyElementsOf(api.createdOrders());
            long cleanup = api.received().stream()
                    .filter(r -> r.method().equals("DELETE"))
                    .count();
            assertThat(api.received())
                    .as("requests: the budget plus the clean-up")
                    .hasSizeLessThanOrEqualTo(40 + (int) cleanup);
            assertThat(outcome.events().getLast())
                    .isInstanceOfSatisfying(
                            ScanEvent.ScanFinished.class,
                            finished ->
                                    assertThat(finished.outcome()).isEqualTo(ScanEvent.ScanOutcome.BUDGET_EXHAUSTED));
        }
    }

    @Test
    void stopsAtTheTimeBox() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            TestApiScan.Outcome outcome = TestApiScan.scan(
                    api,
                    workDir,
                    ScanProfile.STANDARD,
                    new ExecutionLimits(4, 0, 10_000, Duration.ofMillis(1500), Duration.ofSeconds(10)));

            // The time-based injection probes alone need several seconds: the box must cut them short.
            assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.TIME_BOX_EXCEEDED);
            assertThat(outcome.result().reason()).contains("time box");
            assertThat(outcome.events().getLast()).isInstanceOf(ScanEvent.ScanFinished.class);
        }
    }
}
