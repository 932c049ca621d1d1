package io.ventiapi.engine.testapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanProfile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against the deliberately vulnerable test API: every planted flaw is found and nothing else; the
 * hardened variant yields no finding at all; and no request ever reaches the out-of-scope server that the
 * document and responses point at.
 */
class TestApiScanTest {

    @TempDir
    Path workDir;

    @Test
    void findsEveryPlantedFlawAndNothingElseAndStaysInScope() throws Exception {
        GroundTruth truth = GroundTruth.load();
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            TestApiScan.Outcome outcome = TestApiScan.scan(api, workDir, ScanProfile.STANDARD);
            List<Finding> findings = outcome.result().findings();
            findings.forEach(f -> System.out.println(
                    "found " + f.ruleId() + " " + f.method() + " " + f.pathTemplate() + " " + f.parameter()));

            assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            for (GroundTruth.Flaw flaw : truth.flaws()) {
                assertThat(findings).as("planted flaw %s", flaw).anyMatch(flaw::matches);
            }
            for (Finding finding : findings) {
                assertThat(truth.flaws())
                        .as(
                                "finding %s %s %s %s is not a planted flaw",
                                finding.ruleId(), finding.method(), finding.pathTemplate(), finding.parameter())
                        .anyMatch(flaw -> flaw.matches(finding));
            }
            assertThat(outOfScope.hits())
                    .as("requests that left the target origin")
                    .isZero();
            assertThat(api.dataStoreResets())
                    .as("calls of GET /api/admin/reset-db")
                    .isZero();
            assertThat(api.passwords())
                    .as("passwords of the scan's accounts after the scan (the password check puts them back)")
                    .containsEntry("alice", "wonderland")
                    .containsEntry("bob", "builder")
                    .containsEntry("admin", "admin-s3cret");
        }
    }

    @Test
    void aSecondScanOfTheSameTargetFindsWhatTheFirstFound(@TempDir Path secondWorkDir) throws Exception {
        // Scans leave objects behind; the next scan's requests must not collide with them, or the
        // platform closes as fixed what that scan could no longer test.
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            var first = TestApiScan.scan(api, workDir, ScanProfile.STANDARD)
                    .result()
                    .findings();
            var second = TestApiScan.scan(api, secondWorkDir, ScanProfile.STANDARD)
                    .result()
                    .findings();

            assertThat(second.stream()
                            .map(f -> f.fingerprint().value())
                            .sorted()
                            .toList())
                    .as("fingerprints of the second scan")
                    .isEqualTo(first.stream()
                            .map(f -> f.fingerprint().value())
                            .sorted()
                            .toList());
        }
    }

    private static List<String> named(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.ruleId() + " " + f.method() + " " + f.pathTemplate() + " " + f.parameter())
                .sorted()
                .toList();
    }

    @Test
    void reportsNothingOnTheHardenedApi() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            TestApiScan.Outcome outcome = TestApiScan.scan(api, workDir, ScanProfile.AGGRESSIVE);
            outcome.result()
                    .findings()
                    .forEach(f -> System.out.println("false positive " + f.ruleId() + " " + f.method() + " "
                            + f.pathTemplate() + " " + f.parameter() + "\n" + f.evidence()));

            assertThat(outcome.result().outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            assertThat(outcome.result().operationsTested())
                    .as("operations with a baseline")
                    .isGreaterThanOrEqualTo(18);
            assertThat(outcome.result().findings()).isEmpty();
            assertThat(outOfScope.hits()).isZero();
            assertThat(api.dataStoreResets())
                    .as("calls of GET /api/admin/reset-db")
                    .isZero();
        }
    }
}
