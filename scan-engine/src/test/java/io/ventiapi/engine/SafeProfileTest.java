package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.testapi.TestApiScan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profile SAFE changes and deletes only what the scan itself created, and sends only the POSTs it can undo
 * (creates with a DELETE) or that merely read (search, lookup, login).
 */
class SafeProfileTest {

    @TempDir
    Path workDir;

    @Test
    void changesAndDeletesOnlyWhatTheScanCreated() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            TestApiScan.Outcome outcome = TestApiScan.scan(api, workDir, ScanProfile.SAFE);

            assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            List<String> created = api.createdResourceIds();
            assertThat(created).as("orders and addresses the scan created").isNotEmpty();
            List<VulnerableApi.ReceivedRequest> destructive = api.received().stream()
                    .filter(r -> List.of("PUT", "PATCH", "DELETE").contains(r.method()))
                    .toList();
            assertThat(destructive).as("PUT/PATCH/DELETE requests").isNotEmpty();
            assertThat(destructive)
                    .allSatisfy(r -> assertThat(created)
                            .as("%s %s targets a resource the scan did not create", r.method(), r.path())
                            .contains(r.path().substring(r.path().lastIndexOf('/') + 1)));
            assertThat(api.received())
                    .as("POSTs that create what cannot be deleted, or that send mail")
                    .noneMatch(r -> r.method().equals("POST")
                            && List.of("/api/reviews", "/api/register", "/api/password-reset")
                                    .contains(r.path()));
            assertThat(api.existingOrders()).as("pre-existing orders survive").contains(1, 2);
            assertThat(api.existingOrders())
                    .as("created orders are cleaned up")
                    .doesNotContainAnyElementsOf(created.stream()
                            .filter(id -> id.matches("\\d+"))
                            .map(Integer::valueOf)
                            .toList());
            assertThat(api.existingAddresses())
                    .as("created addresses are cleaned up")
                    .isEmpty();
        }
    }
}
