package io.ventiapi.platform.finding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a scan seeing a finding again does to a person's judgement of it. */
class FindingTest {

    private final Instant now = Instant.parse("2026-12-08T10:00:00Z");
    private final UUID firstScan = UUID.randomUUID();
    private final Finding finding = new Finding(UUID.randomUUID(), "fp", firstScan, now);

    FindingTest() {
        finding.observe(reported(Severity.LOW), firstScan, now);
    }

    @Test
    void aRiskAcceptedAtLowIsReopenedWhenAScanReportsItHigher() {
        for (var expiry : new Instant[] {null, now.plus(30, ChronoUnit.DAYS)}) {
            var accepted = new Finding(UUID.randomUUID(), "fp", firstScan, now);
            accepted.observe(reported(Severity.LOW), firstScan, now);
            accepted.triage(FindingStatus.ACCEPTED_RISK, "internal only", expiry, "alice", now);
            assertThat(accepted.getAcceptedSeverity()).isEqualTo(Severity.LOW);

            var seen = accepted.observe(reported(Severity.HIGH), UUID.randomUUID(), now.plusSeconds(60));

            assertThat(accepted.getStatus()).as("expiry %s", expiry).isEqualTo(FindingStatus.OPEN);
            assertThat(seen.outgrownAcceptance()).isEqualTo(Severity.LOW);
            assertThat(seen.lapsedAcceptance()).isNull();
            assertThat(accepted.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(accepted.getTriageReason()).isNull();
            assertThat(accepted.getTriageExpiresAt()).isNull();
            assertThat(accepted.getAcceptedSeverity()).isNull();
            assertThat(accepted.getLastChange())
                    .as("no bucket of the scan's changes is for it: seen again")
                    .isEqualTo(FindingChange.RECURRING);
        }
    }

    @Test
    void aRiskReportedAtTheSameOrALowerSeverityStaysAccepted() {
        finding.triage(FindingStatus.ACCEPTED_RISK, "internal only", null, "alice", now);

        for (var severity : new Severity[] {Severity.LOW, Severity.INFO}) {
            var seen = finding.observe(reported(severity), UUID.randomUUID(), now.plusSeconds(60));

            assertThat(finding.getStatus()).as(severity.name()).isEqualTo(FindingStatus.ACCEPTED_RISK);
            assertThat(seen.outgrownAcceptance()).isNull();
        }
    }

    @Test
    void theSeverityItWasAcceptedAtCountsNotTheOneALaterScanReported() {
        finding.observe(reported(Severity.HIGH), UUID.randomUUID(), now);
        finding.triage(FindingStatus.ACCEPTED_RISK, "behind the VPN", null, "alice", now);
        finding.observe(reported(Severity.LOW), UUID.randomUUID(), now.plusSeconds(60));

        var seen = finding.observe(reported(Severity.HIGH), UUID.randomUUID(), now.plusSeconds(120));

        assertThat(finding.getStatus()).isEqualTo(FindingStatus.ACCEPTED_RISK);
        assertThat(seen.outgrownAcceptance()).isNull();
        assertThat(finding.getAcceptedSeverity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void aRenewedAcceptanceIsJudgedAtTheSeverityShownWhenRenewed() {
        finding.observe(reported(Severity.HIGH), UUID.randomUUID(), now);
        finding.triage(FindingStatus.ACCEPTED_RISK, "behind the VPN", null, "alice", now);
        finding.observe(reported(Severity.LOW), UUID.randomUUID(), now.plusSeconds(60));
        finding.triage(FindingStatus.ACCEPTED_RISK, "still behind the VPN", null, "bob", now.plusSeconds(90));

        var seen = finding.observe(reported(Severity.HIGH), UUID.randomUUID(), now.plusSeconds(120));

        assertThat(finding.getStatus()).isEqualTo(FindingStatus.OPEN);
        assertThat(seen.outgrownAcceptance()).isEqualTo(Severity.LOW);
    }

    @Test
    void anAcceptanceThatRanOutIsReportedAsLapsedNotOutgrown() {
        var expiry = now.plusSeconds(60);
        finding.triage(FindingStatus.ACCEPTED_RISK, "until the fix ships", expiry, "alice", now);

        var seen = finding.observe(reported(Severity.CRITICAL), UUID.randomUUID(), now.plusSeconds(120));

        assertThat(finding.getStatus()).isEqualTo(FindingStatus.OPEN);
        assertThat(seen.lapsedAcceptance()).isEqualTo(expiry);
        assertThat(seen.outgrownAcceptance()).isNull();
    }

    @Test
    void aFalsePositiveStaysOneAtAnySeverity() {
        finding.triage(FindingStatus.FALSE_POSITIVE, "the object is public", null, "alice", now);

        var seen = finding.observe(reported(Severity.CRITICAL), UUID.randomUUID(), now.plusSeconds(60));

        assertThat(finding.getStatus()).isEqualTo(FindingStatus.FALSE_POSITIVE);
        assertThat(seen.outgrownAcceptance()).isNull();
        assertThat(finding.getTriageReason()).isEqualTo("the object is public");
    }

    private static ObservedFinding reported(Severity severity) {
        return new ObservedFinding(
                "fp",
                "venti.bola",
                "Object of another user readable",
                OwaspCategory.API1,
                639,
                severity,
                Confidence.HIGH,
                "get",
                "/orders/{id}",
                "id",
                null,
                null,
                "Check the caller owns the object.");
    }
}
