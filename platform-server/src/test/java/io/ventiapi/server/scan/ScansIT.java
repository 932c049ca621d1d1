package io.ventiapi.server.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Scans through GraphQL: queued with an outbox message in the same transaction, cancelled, listed. */
@VentiIntegrationTest
class ScansIT {

    private static final String START = """
            mutation($p: ID!, $profile: ScanProfile) { startScan(input: {projectId: $p, profile: $profile}) {
              scan { id status profile progress requestedBy queuedAt startedAt finishedAt
                severityCounts { info low medium high critical total } project { id name } }
              errors { code field message } } }""";
    private static final String CANCEL = """
            mutation($id: ID!) { cancelScan(input: {id: $id}) { scan { id status finishedAt } errors { code } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture acme;
    String token;
    String projectId;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("scans");
        var client = new TestProjects(context).fullAccessClient(acme.id());
        token = api.token(client.getKey(), client.getValue());
        projectId = api.graphql(
                        token,
                        "mutation { createProject(input: {name: \"Scanned\", targetUrl: \"http://127.0.0.1:9/\","
                                + " defaultProfile: STANDARD}) { project { id } } }")
                .data("createProject.project.id")
                .asString();
    }

    @Test
    void aScannersClockDoesNotPutTheStartOutsideTheScansLife() {
        var scans = context.getBean(ScanService.class);
        for (var claimed : List.of(Instant.EPOCH, Instant.now().plus(Duration.ofDays(365)))) {
            var seeded = new TestProjects(context).seed(acme.id(), "Clock " + claimed.getEpochSecond(), 0);

            var started = SystemActor.call(acme.id(), () -> scans.scannerStarted(seeded.scanId(), claimed))
                    .orElseThrow();

            assertThat(started.getStartedAt())
                    .as("claimed %s", claimed)
                    .isBetween(started.getQueuedAt(), Instant.now());
        }
    }

    @Test
    void aScanNeedsASpec() {
        var response = api.graphql(token, START, Map.of("p", projectId));

        var error = response.data("startScan.errors").get(0);
        assertThat(error.get("code").asString()).isEqualTo("INVALID_INPUT");
        assertThat(error.get("message").asString()).contains("upload or import one first");
    }

    @Test
    void aStartedScanIsQueuedWithItsOutboxMessageAndCanBeCancelledOnce() throws Exception {
        uploadSpec();

        var started = api.graphql(token, START, Map.of("p", projectId));

        var scan = started.data("startScan.scan");
        assertThat(started.data("startScan.errors")).as(started.body()).isEmpty();
        assertThat(scan.get("status").asString()).isEqualTo("QUEUED");
        assertThat(scan.get("profile").asString()).isEqualTo("STANDARD");
        assertThat(scan.get("progress").asInt()).isZero();
        assertThat(scan.get("requestedBy").asString())
                .as("the API client's id")
                .startsWith(acme.id().value() + "-");
        assertThat(scan.get("queuedAt").isNull()).isFalse();
        assertThat(scan.get("startedAt").isNull()).isTrue();
        assertThat(scan.get("severityCounts").get("total").asInt()).isZero();
        assertThat(scan.get("project").get("id").asString()).isEqualTo(projectId);
        var scanId = scan.get("id").asString();
        assertThat(outbox(scanId)).singleElement().satisfies(message -> {
            assertThat(message.get("topic")).isEqualTo("scan.requested");
            assertThat(message.get("payload"))
                    .contains(scanId, projectId, "\"profile\": \"STANDARD\"", "\"targetUrl\": \"http://127.0.0.1:9/\"");
        });

        var read = api.graphql(
                token,
                "query($id: ID!) { scan(id: $id) { status } project(id: \"" + projectId
                        + "\") { latestScan { id } scans { edges { node { id status } } } } }",
                Map.of("id", scanId));
        assertThat(read.data("scan.status").asString()).isEqualTo("QUEUED");
        assertThat(read.data("project.latestScan.id").asString()).isEqualTo(scanId);
        assertThat(read.data("project.scans.edges")).hasSize(1);

        var cancelled = api.graphql(token, CANCEL, Map.of("id", scanId));
        assertThat(cancelled.data("cancelScan.scan.status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.data("cancelScan.scan.finishedAt").isNull()).isFalse();
        assertThat(outbox(scanId))
                .extracting(message -> message.get("topic"))
                .containsExactly("scan.requested", "scan.cancelled");
        // The relay publishes both after their commits (to the runners' stream and cancel set).
        var deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (outbox(scanId).stream()
                .anyMatch(message -> message.get("published").equals("false"))) {
            assertThat(System.nanoTime()).as("outbox published in time").isLessThan(deadline);
            Thread.sleep(100);
        }

        var again = api.graphql(token, CANCEL, Map.of("id", scanId));
        assertThat(again.data("cancelScan.errors").get(0).get("code").asString())
                .isEqualTo("CONFLICT");
    }

    @Test
    void aScanThatFailsToStartLeavesNoOutboxMessage() throws SQLException {
        var refused = api.graphql(token, START, Map.of("p", projectId));

        assertThat(refused.data("startScan.scan").isNull()).isTrue();
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select count(*) from outbox where tenant_id = ?")) {
            statement.setString(1, acme.id().value());
            var rows = statement.executeQuery();
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void scansAreListedNewestFirstWithTheProfileAsked() {
        uploadSpec();
        var first = api.graphql(token, START, Map.of("p", projectId))
                .data("startScan.scan.id")
                .asString();
        var second = api.graphql(token, START, Map.of("p", projectId, "profile", "AGGRESSIVE"))
                .data("startScan.scan");

        assertThat(second.get("profile").asString()).isEqualTo("AGGRESSIVE");
        var listed = api.graphql(
                        token,
                        "query($id: ID!) { project(id: $id) { scans(first: 1) { edges { node { id } }"
                                + " pageInfo { hasNextPage endCursor } } } }",
                        Map.of("id", projectId))
                .data("project.scans");
        assertThat(listed.get("edges").get(0).get("node").get("id").asString())
                .isEqualTo(second.get("id").asString());
        var next = api.graphql(
                        token,
                        "query($id: ID!, $after: String) { project(id: $id) { scans(first: 1, after: $after) {"
                                + " edges { node { id } } } } }",
                        Map.of(
                                "id",
                                projectId,
                                "after",
                                listed.get("pageInfo").get("endCursor").asString()))
                .data("project.scans.edges");
        assertThat(next.get(0).get("node").get("id").asString()).isEqualTo(first);
    }

    @Test
    void aTenantHasNoMoreScansQueuedOrRunningThanItsPlanAllows() {
        var free = tenants.create("scans-free", Plan.FREE);
        var projects = new TestProjects(context);
        var client = projects.fullAccessClient(free.id());
        var freeToken = api.token(client.getKey(), client.getValue());
        var seeded = projects.seed(free.id(), "Busy", 0); // one scan queued
        for (int i = 1; i < Plan.FREE.activeScans(); i++) {
            projects.rescan(free.id(), seeded.projectId(), List.of());
        }
        var variables = Map.of("p", seeded.projectId().toString());

        var refused = api.graphql(freeToken, START, variables);

        assertThat(refused.data("startScan.scan").isNull()).isTrue();
        var error = refused.data("startScan.errors").get(0);
        assertThat(error.get("code").asString()).isEqualTo("CONFLICT");
        assertThat(error.get("message").asString()).contains("20 scans queued or running", "FREE");
        // Once one of them has ended, another may start.
        var cancelled =
                api.graphql(freeToken, CANCEL, Map.of("id", seeded.scanId().toString()));
        assertThat(cancelled.data("cancelScan.errors")).as(cancelled.body()).isEmpty();
        var started = api.graphql(freeToken, START, variables);
        assertThat(started.data("startScan.scan.status").asString())
                .as(started.body())
                .isEqualTo("QUEUED");
    }

    private void uploadSpec() {
        var response = api.graphql(
                token,
                "mutation($p: ID!, $c: String!) { uploadSpec(input: {projectId: $p, content: $c}) { errors { code } } }",
                Map.of("p", projectId, "c", TestProjects.SPEC));
        assertThat(response.data("uploadSpec.errors")).as(response.body()).isEmpty();
    }

    /** The outbox rows about a scan, oldest first, read as the owner (no tenant bound). */
    private static List<Map<String, String>> outbox(String scanId) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(
                        "select topic, payload::text, published_at from outbox where message_key = ? order by created_at")) {
            statement.setString(1, scanId);
            var rows = statement.executeQuery();
            var messages = new ArrayList<Map<String, String>>();
            while (rows.next()) {
                messages.add(Map.of(
                        "topic",
                        rows.getString(1),
                        "payload",
                        rows.getString(2),
                        "published",
                        Boolean.toString(rows.getTimestamp(3) != null)));
            }
            return messages;
        }
    }
}
