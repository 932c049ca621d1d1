package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.audit.AuditEvent;
import io.ventiapi.platform.audit.AuditFilter;
import io.ventiapi.platform.audit.AuditReader;
import io.ventiapi.platform.finding.FindingChange;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.finding.FindingStatus;
import io.ventiapi.platform.finding.ObservedFinding;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.scan.ScanChanges;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A scan closes as fixed only what it could have seen: not when its budget cut it short, and not
 * what a more thorough profile found. A vulnerability that is there must not read FIXED.
 */
@VentiIntegrationTest
class PartialScansIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanService scans;

    @Autowired
    FindingRecorder recorder;

    @Autowired
    FindingService findings;

    @Autowired
    TransactionTemplate tx;

    TenantId tenant;
    TestProjects.Seeded seeded;

    @BeforeEach
    void setUp() {
        tenant = tenants.create("partial").id();
        seeded = new TestProjects(context).seed(tenant, "Partial", 0);
    }

    @Test
    void aScanCutShortByItsBudgetSucceedsButClosesNothing() {
        var first = scan(ScanProfile.STANDARD, "COMPLETED", finding("reached"), finding("not reached"));
        var reached = first.getFirst();
        var notReached = first.getLast();

        var cutShort = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        var changes = end(cutShort, "BUDGET_EXHAUSTED", finding("reached"));

        assertThat(status(cutShort)).isEqualTo(ScanStatus.SUCCEEDED);
        assertThat(changes.fixed()).isZero();
        assertThat(findingStatus(reached)).isEqualTo(FindingStatus.OPEN);
        assertThat(findingStatus(notReached)).isEqualTo(FindingStatus.OPEN);

        var complete = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(complete, "COMPLETED", finding("reached")).fixed()).isEqualTo(1);
        assertThat(findingStatus(notReached)).isEqualTo(FindingStatus.FIXED);
    }

    @Test
    void aSaferScanDoesNotCloseWhatAMoreThoroughOneFound() {
        var foundAggressively =
                scan(ScanProfile.AGGRESSIVE, "COMPLETED", finding("deep")).getFirst();
        var foundSafely =
                scan(ScanProfile.SAFE, "COMPLETED", finding("shallow")).getFirst();

        var safe = SystemActor.call(
                tenant, () -> scans.start(seeded.projectId(), ScanProfile.SAFE).getId());
        assertThat(end(safe, "COMPLETED").fixed())
                .as("only what SAFE probes found")
                .isEqualTo(1);
        assertThat(findingStatus(foundSafely)).isEqualTo(FindingStatus.FIXED);
        assertThat(findingStatus(foundAggressively)).isEqualTo(FindingStatus.OPEN);

        var aggressive = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.AGGRESSIVE).getId());
        assertThat(end(aggressive, "COMPLETED").fixed()).isEqualTo(1);
        assertThat(findingStatus(foundAggressively)).isEqualTo(FindingStatus.FIXED);
    }

    @Test
    void aScanWithoutAScannerDoesNotCloseWhatThatScannerFound() {
        scanners("venti", "zap");
        var foundWithZap =
                scan(ScanProfile.STANDARD, "COMPLETED", finding("zap.10021")).getFirst();

        scanners("venti");
        var ventiOnly = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(ventiOnly, "COMPLETED").fixed()).isZero();
        assertThat(findingStatus(foundWithZap)).isEqualTo(FindingStatus.OPEN);

        scanners("venti", "zap");
        var both = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(both, "COMPLETED").fixed()).isEqualTo(1);
        assertThat(findingStatus(foundWithZap)).isEqualTo(FindingStatus.FIXED);
    }

    @Test
    void anOperationTheNewDocumentNoLongerHasWasNotTestedAndIsNotClosedAsFixed() throws Exception {
        // A finding about the whole target names an operation only as where it was seen.
        var targetWide = finding("whole target");
        var found = scan(
                ScanProfile.STANDARD,
                "COMPLETED",
                on(finding("dropped"), "dropped", "GET", "/health"),
                on(finding("kept"), "kept", "get", "/orders"),
                on(targetWide, targetWideFingerprint(targetWide), "GET", "/health"));
        var onDropped = found.get(0);
        var onKept = found.get(1);
        var aboutTheTarget = found.get(2);
        SystemActor.run(
                tenant,
                () -> context.getBean(SpecService.class)
                        .upload(
                                seeded.projectId(),
                                TestProjects.SPEC.substring(0, TestProjects.SPEC.indexOf("  /health:"))));

        var later = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(later, "COMPLETED").fixed()).isEqualTo(2);
        assertThat(findingStatus(onKept)).isEqualTo(FindingStatus.FIXED);
        assertThat(findingStatus(aboutTheTarget)).isEqualTo(FindingStatus.FIXED);
        assertThat(findingStatus(onDropped)).isEqualTo(FindingStatus.OPEN);
    }

    /** The fingerprint the engine gives a finding about the whole target (ADR 16). */
    private static String targetWideFingerprint(ObservedFinding finding) throws Exception {
        var digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest((finding.ruleId() + "\n*\n*\n" + finding.parameter())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }

    /** {@code f} reported with this fingerprint on this operation. */
    private static ObservedFinding on(ObservedFinding f, String fingerprint, String method, String path) {
        return new ObservedFinding(
                fingerprint,
                f.ruleId(),
                f.title(),
                f.category(),
                f.cwe(),
                f.severity(),
                f.confidence(),
                method,
                path,
                f.parameter(),
                f.requestExcerpt(),
                f.responseExcerpt(),
                f.remediation());
    }

    @Test
    void aFixedFindingSeenAgainIsARegressionAudited() {
        var comesBack =
                scan(ScanProfile.STANDARD, "COMPLETED", finding("comes back")).getFirst();
        var fixing = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(fixing, "COMPLETED").fixed()).isEqualTo(1);

        var again = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(again, "COMPLETED", finding("comes back")).regressed()).isEqualTo(1);

        assertThat(findingStatus(comesBack)).isEqualTo(FindingStatus.OPEN);
        var regressions = SystemActor.call(
                tenant,
                () -> context.getBean(AuditReader.class)
                        .events(
                                new AuditFilter("finding.regress", null, null, null, null),
                                ScrollPosition.keyset(),
                                Limit.of(10))
                        .getContent());
        assertThat(regressions).singleElement().satisfies(event -> {
            assertThat(event.targetId()).isEqualTo(comesBack.toString());
            assertThat(event.summary()).contains(again.toString());
        });
    }

    @Test
    void aFindingAcceptedWhileFixedThatComesBackIsARegressionAudited() {
        var comesBack = scan(ScanProfile.STANDARD, "COMPLETED", finding("accepted while fixed"))
                .getFirst();
        var fixing = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        assertThat(end(fixing, "COMPLETED").fixed()).isEqualTo(1);
        SystemActor.run(
                tenant,
                () -> findings.triage(comesBack, FindingStatus.ACCEPTED_RISK, "the old client still calls it", null));

        var again = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        var changes = end(again, "COMPLETED", finding("accepted while fixed"));

        assertThat(changes.regressed()).isEqualTo(1);
        assertThat(changes.recurring()).isZero();
        var stored = SystemActor.call(tenant, () -> findings.find(comesBack).orElseThrow());
        assertThat(stored.getLastChange()).isEqualTo(FindingChange.REGRESSED);
        assertThat(stored.getStatus())
                .as("the acceptance, not lapsed, still stands")
                .isEqualTo(FindingStatus.ACCEPTED_RISK);
        assertThat(events("finding.regress")).singleElement().satisfies(event -> {
            assertThat(event.targetId()).isEqualTo(comesBack.toString());
            assertThat(event.summary()).contains(again.toString(), "ACCEPTED_RISK");
        });
    }

    @Test
    void eachFindingAScanClosesAsFixedIsAuditedOnItsOwn() {
        var found =
                scan(ScanProfile.STANDARD, "COMPLETED", finding("gone"), finding("also gone"), finding("still there"));
        var fixing = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());

        assertThat(end(fixing, "COMPLETED", finding("still there")).fixed()).isEqualTo(2);

        var fixes = events("finding.fix");
        assertThat(fixes)
                .extracting(AuditEvent::targetId)
                .containsExactlyInAnyOrder(found.get(0).toString(), found.get(1).toString());
        assertThat(fixes).allSatisfy(event -> {
            assertThat(event.targetType()).isEqualTo("Finding");
            assertThat(event.summary())
                    .contains("\"status\":\"FIXED\"", "\"previousStatus\":\"OPEN\"", fixing.toString());
        });
        var history = SystemActor.call(
                tenant,
                () -> context.getBean(AuditReader.class)
                        .events(
                                new AuditFilter(null, null, "Finding", null, null),
                                ScrollPosition.keyset(),
                                Limit.of(100))
                        .getContent());
        assertThat(history).as("a finding's history shows its fix").anySatisfy(event -> {
            assertThat(event.action()).isEqualTo("finding.fix");
            assertThat(event.targetId()).isEqualTo(found.get(0).toString());
        });
    }

    private List<AuditEvent> events(String action) {
        return SystemActor.call(
                tenant,
                () -> context.getBean(AuditReader.class)
                        .events(new AuditFilter(action, null, null, null, null), ScrollPosition.keyset(), Limit.of(100))
                        .getContent());
    }

    @Test
    void aFindingItsOwnScanReportsAgainAfterAnotherClosedItIsARegression() {
        var first = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        var found = SystemActor.call(
                tenant,
                () -> recorder.record(first, List.of(finding("late")))
                        .getFirst()
                        .getId());
        var second = SystemActor.call(
                tenant,
                () -> scans.start(seeded.projectId(), ScanProfile.STANDARD).getId());
        end(second, "COMPLETED");
        assertThat(findingStatus(found)).isEqualTo(FindingStatus.FIXED);

        // The first scan, still running, reports it again (a redelivery, or a second check).
        assertThat(end(first, "COMPLETED", finding("late")).regressed()).isEqualTo(1);
        assertThat(findingStatus(found)).isEqualTo(FindingStatus.OPEN);
    }

    private void scanners(String... kinds) {
        SystemActor.run(
                tenant,
                () -> context.getBean(ProjectService.class)
                        .update(
                                seeded.projectId(),
                                new ProjectDraft(null, null, null, List.of(kinds), null, null, null, null, null)));
    }

    /** A scan of {@code profile} that reports {@code reported} and ends; the ids of its findings. */
    private List<UUID> scan(ScanProfile profile, String outcome, ObservedFinding... reported) {
        var scan = SystemActor.call(
                tenant, () -> scans.start(seeded.projectId(), profile).getId());
        var ids = SystemActor.call(
                tenant,
                () -> recorder.record(scan, List.of(reported)).stream()
                        .map(recorded -> recorded.getId())
                        .toList());
        end(scan, outcome);
        return ids;
    }

    /** Reports {@code reported}, the scanner's {@code outcome}, and a workload that exited cleanly. */
    private ScanChanges end(UUID scan, String outcome, ObservedFinding... reported) {
        return SystemActor.call(tenant, () -> {
            if (reported.length > 0) {
                recorder.record(scan, List.of(reported));
            }
            scans.scannerFinished(scan, outcome, null, 10);
            return tx.execute(status -> {
                scans.workloadEnded(scan, "SUCCEEDED", null).orElseThrow();
                return recorder.closeScan(scan);
            });
        });
    }

    private static ObservedFinding finding(String fingerprint) {
        return TestProjects.finding(fingerprint, Severity.HIGH);
    }

    private ScanStatus status(UUID scan) {
        return SystemActor.call(tenant, () -> scans.find(scan).orElseThrow().getStatus());
    }

    private FindingStatus findingStatus(UUID finding) {
        return SystemActor.call(
                tenant, () -> findings.find(finding).orElseThrow().getStatus());
    }
}
