package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.testapi.TestApiScan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A check that fails unexpectedly fails the scan, which still ends with scan.finished and deletes what it created. */
class FailingCheckTest {

    /** A check with a bug: it throws once the others have created their objects. */
    private static final class BrokenCheck implements Check {
        @Override
        public List<Rule> rules() {
            return List.of();
        }

        @Override
        public void afterOtherChecks(ScanContext context) {
            throw new IllegalStateException("a bug in a check");
        }
    }

    @Test
    void aFailingCheckFailsTheScanButTheScanStillCleansUpAndFinishes(@TempDir Path dir) throws Exception {
        List<ScanEvent> events = new CopyOnWriteArrayList<>();
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            var plan = new OperationPlanner()
                    .plan(new SpecLoader().load(api.writeSpec(dir).toString()));
            List<Check> checks = new ArrayList<>(BuiltInChecks.all());
            checks.add(new BrokenCheck());
            ScanRequest request = new ScanRequest(
                    "failing-check",
                    plan,
                    api.baseUri(),
                    List.of(TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN),
                    ScanProfile.SAFE,
                    new ExecutionLimits(8, 0, 20_000, Duration.ofMinutes(3), Duration.ofSeconds(10)),
                    null,
                    false,
                    ScanOptions.defaults().withIdentityRoles(TestApiScan.ROLES));

            ScanResult result = new ScanEngine(checks).run(request, events::add);

            assertThat(result.outcome()).isEqualTo(ScanEvent.ScanOutcome.FAILED);
            assertThat(result.reason()).contains("a bug in a check");
            assertThat(api.createdResourceIds()).as("objects the scan created").isNotEmpty();
            assertThat(api.existingAddresses())
                    .as("created addresses are cleaned up")
                    .isEmpty();
            assertThat(api.existingOrders())
                    .as("created orders are cleaned up")
                    .doesNotContainAnyElementsOf(api.createdOrders());
        }
        assertThat(events.getLast()).isInstanceOf(ScanEvent.ScanFinished.class);
    }
}
