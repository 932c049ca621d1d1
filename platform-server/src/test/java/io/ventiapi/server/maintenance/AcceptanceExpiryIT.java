package io.ventiapi.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ventiapi.platform.audit.AuditEvent;
import io.ventiapi.platform.audit.AuditFilter;
import io.ventiapi.platform.audit.AuditReader;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.finding.FindingStatus;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** A risk accepted until a date is open again after it, without waiting for a scan to see it. */
@VentiIntegrationTest
class AcceptanceExpiryIT {

    private static final String TRIAGE = """
            mutation($input: TriageFindingInput!) { triageFinding(input: $input) {
              finding { id status } errors { code field message } } }""";
    private static final String STATUS = "query($id: ID!) { finding(id: $id) { status triage { reason expiresAt } } }";
    private static final String LAPSED_EVENTS = """
            { auditEvents(first: 100) { edges { node { action targetId actor summary } } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    AcceptanceExpiry expiry;

    @Test
    void anAcceptanceThatRanOutIsReopenedOnceAndAudited() throws Exception {
        var api = new Api(port);
        var acme = tenants.create("expiry");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        var findings = projects.seed(acme.id(), "Expiring", 3).findingIds();
        var lapsing = findings.get(0);
        var stillAccepted = findings.get(1);
        var acceptedForever = findings.get(2);
        var tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        accept(api, token, lapsing, tomorrow);
        accept(api, token, stillAccepted, tomorrow);
        accept(api, token, acceptedForever, null);
        expireAcceptance(lapsing);

        // The background sweep may get there first; either way the finding is reopened once.
        expiry.sweep();
        expiry.sweep();

        assertThat(status(api, token, lapsing)).isEqualTo("OPEN");
        var triage =
                api.graphql(token, STATUS, Map.of("id", lapsing.toString())).data("finding.triage");
        // Nobody judged it OPEN: the acceptance, who gave it and when, are gone (the audit log keeps them).
        assertThat(triage.isNull()).as("the acceptance is gone: %s", triage).isTrue();
        assertThat(status(api, token, stillAccepted)).isEqualTo("ACCEPTED_RISK");
        assertThat(status(api, token, acceptedForever)).isEqualTo("ACCEPTED_RISK");
        assertThat(lapsedEvents(api, token).stream()
                        .map(event -> event.get("targetId").asString() + " by "
                                + event.get("actor").asString()))
                .as("reopened once, by the system")
                .containsExactly(lapsing + " by system");
        assertThat(api.graphql(token, "{ auditChainStatus { intact } }")
                        .data("auditChainStatus.intact")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void moreLapsedAcceptancesThanOneBatchAllLapseEachAuditedABatchToATransaction() throws Exception {
        var acme = tenants.create("expiry-batches");
        var projects = new TestProjects(context);
        var lapsing = projects.seed(acme.id(), "Many", 5).findingIds();
        var findings = context.getBean(FindingService.class);
        for (var finding : lapsing) {
            SystemActor.run(
                    acme.id(),
                    () -> findings.triage(
                            finding,
                            FindingStatus.ACCEPTED_RISK,
                            "until the fix ships",
                            Instant.now().plus(1, ChronoUnit.DAYS)));
        }
        try (var owner = LocalDatabase.asOwner();
                var expire = owner.prepareStatement(
                        "update findings set triage_expires_at = now() - interval '1 minute' where id = any(?)")) {
            expire.setArray(1, owner.createArrayOf("uuid", lapsing.toArray()));
            assertThat(expire.executeUpdate()).isEqualTo(5);
        }
        var inPairs = new AcceptanceExpiry(context.getBean(TenantService.class), findings, Duration.ofMinutes(5), 2);

        int reopened = SystemActor.call(acme.id(), inPairs::reopenLapsed);

        // The background sweep may get to some first: then this one's batches show nothing, and the test is skipped.
        assumeThat(reopened).as("reopened by this sweep").isEqualTo(5);
        for (var finding : lapsing) {
            assertThat(SystemActor.call(
                            acme.id(),
                            () -> findings.find(finding).orElseThrow().getStatus()))
                    .isEqualTo(FindingStatus.OPEN);
        }
        var lapsed = SystemActor.call(
                acme.id(),
                () -> context.getBean(AuditReader.class)
                        .events(
                                new AuditFilter("finding.acceptanceLapsed", null, null, null, null),
                                ScrollPosition.keyset(),
                                Limit.of(100))
                        .getContent());
        assertThat(lapsed)
                .extracting(AuditEvent::targetId)
                .containsExactlyInAnyOrderElementsOf(
                        lapsing.stream().map(UUID::toString).toList());
        // The transaction that last wrote each row (its xmin): at most two rows each, three in all.
        var byTransaction = new HashMap<String, Integer>();
        try (var owner = LocalDatabase.asOwner();
                var writers = owner.prepareStatement("select xmin::text from findings where id = any(?)")) {
            writers.setArray(1, owner.createArrayOf("uuid", lapsing.toArray()));
            try (var rows = writers.executeQuery()) {
                while (rows.next()) {
                    byTransaction.merge(rows.getString(1), 1, Integer::sum);
                }
            }
        }
        assertThat(byTransaction.values()).as("findings per transaction").containsExactlyInAnyOrder(2, 2, 1);
    }

    @Test
    void aScanThatSeesTheFindingAfterItsAcceptanceRanOutReopensItWithTheSameEvent() throws Exception {
        var api = new Api(port);
        var acme = tenants.create("expiry-scan");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        var seeded = projects.seed(acme.id(), "Rescanned", 1);
        var finding = seeded.findingIds().getFirst();
        accept(api, token, finding, Instant.now().plus(1, ChronoUnit.DAYS).toString());
        expireAcceptance(finding);

        var scan = projects.rescan(acme.id(), seeded.projectId(), List.of(TestProjects.finding("fp-0", Severity.INFO)));

        assertThat(status(api, token, finding)).isEqualTo("OPEN");
        // The background sweep may have got there between the two steps; either way, one event.
        var lapsed = lapsedEvents(api, token);
        assertThat(lapsed).as("one event for the lapse").hasSize(1);
        var event = lapsed.getFirst();
        assertThat(event.get("targetId").asString()).isEqualTo(finding.toString());
        if (!event.get("actor").asString().equals("system")) {
            assertThat(event.get("summary").asString()).contains("\"scanId\":\"" + scan + "\"");
        }
    }

    @Test
    void anAcceptanceOfAFindingAScanHadFixedRunsOutBackToFixed() throws Exception {
        var api = new Api(port);
        var acme = tenants.create("expiry-fixed");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        var seeded = projects.seed(acme.id(), "Fixed", 1);
        var finding = seeded.findingIds().getFirst();
        fixedByAScan(acme.id(), projects, seeded);
        assertThat(status(api, token, finding)).isEqualTo("FIXED");
        accept(api, token, finding, Instant.now().plus(1, ChronoUnit.DAYS).toString());
        expireAcceptance(finding);

        expiry.sweep();

        assertThat(status(api, token, finding))
                .as("no scan has seen it since one closed it")
                .isEqualTo("FIXED");
        var counts = new ArrayList<String>();
        api.graphql(
                        token,
                        "query($id: ID!) { project(id: $id) { findingCounts { byStatus { status count } } } }",
                        Map.of("id", seeded.projectId().toString()))
                .data("project.findingCounts.byStatus")
                .forEach(count -> counts.add(count.get("status").asString() + " "
                        + count.get("count").asInt()));
        assertThat(counts).as("the dashboard's counts").contains("OPEN 0", "FIXED 1");
        assertThat(lapsedEvents(api, token))
                .singleElement()
                .satisfies(event -> assertThat(event.get("summary").asString()).contains("\"status\":\"FIXED\""));
    }

    @Test
    void anAcceptanceOfAFixedFindingAPersonReopenedRunsOutOpen() throws Exception {
        var api = new Api(port);
        var acme = tenants.create("expiry-reopened");
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(acme.id());
        var token = api.token(client.getKey(), client.getValue());
        var seeded = projects.seed(acme.id(), "Reopened", 1);
        var finding = seeded.findingIds().getFirst();
        fixedByAScan(acme.id(), projects, seeded);
        var reopened = api.graphql(
                token,
                TRIAGE,
                Map.of("input", Map.of("id", finding.toString(), "status", "OPEN", "reason", "still served")));
        assertThat(reopened.data("triageFinding.finding.status").asString())
                .as(reopened.body())
                .isEqualTo("OPEN");
        accept(api, token, finding, Instant.now().plus(1, ChronoUnit.DAYS).toString());
        expireAcceptance(finding);

        expiry.sweep();

        assertThat(status(api, token, finding))
                .as("a person judged it not fixed after the scan closed it")
                .isEqualTo("OPEN");
    }

    @Test
    void anAcceptanceExtendedWhileTheSweepReopensItEndsAcceptedWithTheNewExpiry() throws Exception {
        var acme = tenants.create("expiry-race");
        var projects = new TestProjects(context);
        var finding = projects.seed(acme.id(), "Extended", 1).findingIds().getFirst();
        var findings = context.getBean(FindingService.class);
        var tx = context.getBean(TransactionTemplate.class);
        SystemActor.run(
                acme.id(),
                () -> findings.triage(
                        finding,
                        FindingStatus.ACCEPTED_RISK,
                        "until the fix ships",
                        Instant.now().plus(1, ChronoUnit.DAYS)));
        expireAcceptance(finding);
        var until = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        var sweeping = new CountDownLatch(1);
        var commit = new CountDownLatch(1);
        var threads = Executors.newFixedThreadPool(2);

        // The sweep has reopened the finding and not committed yet when the extension comes in.
        var sweep = CompletableFuture.runAsync(
                () -> SystemActor.run(
                        acme.id(),
                        () -> tx.executeWithoutResult(status -> {
                            // 0 if the background sweep got there first: then nothing races, and the end is the same.
                            assertThat(findings.reopenLapsedAcceptances(AcceptanceExpiry.BATCH))
                                    .isLessThanOrEqualTo(1);
                            sweeping.countDown();
                            Interleavings.await(commit);
                        })),
                threads);
        Interleavings.await(sweeping);
        var extend = CompletableFuture.runAsync(
                () -> SystemActor.run(
                        acme.id(),
                        () -> findings.triage(finding, FindingStatus.ACCEPTED_RISK, "the fix slipped", until)),
                threads);
        Interleavings.untilDoneOrWaitingOnALock(extend);
        commit.countDown();
        sweep.get(30, TimeUnit.SECONDS);
        extend.get(30, TimeUnit.SECONDS);
        threads.shutdown();

        var stored = SystemActor.call(acme.id(), () -> findings.find(finding).orElseThrow());
        assertThat(stored.getStatus()).isEqualTo(FindingStatus.ACCEPTED_RISK);
        assertThat(stored.getTriageReason()).isEqualTo("the fix slipped");
        assertThat(stored.getTriageExpiresAt()).isEqualTo(until);
    }

    /** The seeded scan ends, then a complete scan no longer sees the seeded findings: FIXED. */
    private void fixedByAScan(TenantId tenant, TestProjects projects, TestProjects.Seeded seeded) {
        var scans = context.getBean(ScanService.class);
        var recorder = context.getBean(FindingRecorder.class);
        var tx = context.getBean(TransactionTemplate.class);
        for (var scan : List.of(seeded.scanId(), projects.rescan(tenant, seeded.projectId(), List.of()))) {
            SystemActor.run(tenant, () -> {
                scans.scannerFinished(scan, "COMPLETED", null, 10);
                tx.executeWithoutResult(status -> {
                    scans.workloadEnded(scan, "SUCCEEDED", null).orElseThrow();
                    recorder.closeScan(scan);
                });
            });
        }
    }

    private static void expireAcceptance(UUID finding) throws Exception {
        try (var owner = LocalDatabase.asOwner();
                var expire = owner.prepareStatement(
                        "update findings set triage_expires_at = now() - interval '1 minute' where id = ?")) {
            expire.setObject(1, finding);
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }
    }

    private static List<JsonNode> lapsedEvents(Api api, String token) {
        var events = new ArrayList<JsonNode>();
        api.graphql(token, LAPSED_EVENTS).data("auditEvents.edges").forEach(edge -> {
            if (edge.get("node").get("action").asString().equals("finding.acceptanceLapsed")) {
                events.add(edge.get("node"));
            }
        });
        return events;
    }

    private static void accept(Api api, String token, UUID finding, String until) {
        var input = new HashMap<String, Object>(
                Map.of("id", finding.toString(), "status", "ACCEPTED_RISK", "reason", "compensating control"));
        if (until != null) {
            input.put("expiresAt", until);
        }
        var accepted = api.graphql(token, TRIAGE, Map.of("input", input));
        assertThat(accepted.data("triageFinding.finding.status").asString())
                .as(accepted.body())
                .isEqualTo("ACCEPTED_RISK");
    }

    private static String status(Api api, String token, UUID finding) {
        return api.graphql(token, STATUS, Map.of("id", finding.toString()))
                .data("finding.status")
                .asString();
    }
}
