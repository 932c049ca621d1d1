package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.audit.AuditFilter;
import io.ventiapi.platform.audit.AuditReader;
import io.ventiapi.platform.project.IdentityDraft;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.protocol.JobSeal;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.LocalServicesInitializer;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scan queued for one host is not dispatched after its project moved to another (another port,
 * https to http, another custom scanner): the secrets read at dispatch were entered for where the
 * project sends them now. Nor is one of a suspended tenant; an archived project's are cancelled. A scan that cannot be dispatched for a reason
 * of the platform's own fails without showing its readers the library's text, and a runner holding
 * an earlier job of it is told to stop. Only a queued scan is dispatched, with its project's
 * limits as they are then: a running one whose message comes again runs on.
 */
@VentiIntegrationTest
class MovedTargetDispatchIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanDispatcher dispatcher;

    @Autowired
    ProjectService projects;

    @Autowired
    ScanService scans;

    @Autowired
    AuditReader audit;

    @Autowired
    ScanProgressFeed feed;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    RedissonClient redis;

    @Test
    void aScanQueuedBeforeItsTargetMovedHostsFailsInsteadOfTakingTheNewSecretsToTheOldHost() {
        var acme = tenants.create("moved");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        var queuedFor = "http://127.0.0.1:9/api";
        moveTarget(acme, seeded, "http://93.184.215.14/api", "sk_for_the_new_host_only_0001");
        var payload = payload(acme.id().value(), seeded, queuedFor);

        dispatch(acme, payload);

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("moved to another host");
        assertThat(outboxTopics(seeded.scanId()))
                .as("a runner holding an earlier job of it (sent by a batch whose commit failed) stops it")
                .containsExactly("scan.requested", "scan.cancelled");
    }

    @Test
    void aRunningScanWhoseJobIsSentAgainAfterItsTargetMovedRunsOnAndIsNotSentAgain() {
        var acme = tenants.create("moved-running");
        var seeded = new TestProjects(context).seed(acme.id(), "Running", 0);
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched it, to no runner
        SystemActor.run(acme.id(), () -> scans.scannerStarted(seeded.scanId(), Instant.now()));
        var jobs = jobsOf(seeded.scanId()).size();

        // The relay's batch that published it did not commit: its message goes out again, before
        // and after its project moved.
        dispatch(acme, payload(acme.id().value(), seeded, "http://127.0.0.1:9/api"));
        moveTarget(acme, seeded, "http://127.0.0.1:8081/api", "sk_for_the_other_service_0006");
        dispatch(acme, payload(acme.id().value(), seeded, "http://127.0.0.1:9/api"));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("RUNNING");
        assertThat(scan.getFailureReason()).isNull();
        assertThat(jobsOf(seeded.scanId())).hasSize(jobs);
        assertThat(outboxTopics(seeded.scanId())).containsExactly("scan.requested");
    }

    @Test
    void anArchiveTheDispatchWaitsForLeavesTheScanCancelledRatherThanFailed() throws Exception {
        var acme = tenants.create("archive-waited");
        var seeded = new TestProjects(context).seed(acme.id(), "Archived while dispatched", 0);
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched it, to no runner
        var threads = Executors.newFixedThreadPool(2);
        try {
            var archived = new CountDownLatch(1);
            var commit = new CountDownLatch(1);
            var archive = threads.submit(() -> SystemActor.run(
                    acme.id(),
                    () -> transactions.executeWithoutResult(status -> {
                        projects.archive(seeded.projectId());
                        archived.countDown();
                        Interleavings.await(commit);
                    })));
            Interleavings.await(archived);
            // The message again, in a batch that reads the scan and then waits for its project.
            var dispatch = threads.submit(() -> SystemActor.run(
                    acme.id(),
                    () -> transactions.executeWithoutResult(status -> dispatcher.dispatch(
                            ScanService.SCAN_REQUESTED,
                            payload(acme.id().value(), seeded, "http://127.0.0.1:9/api")))));
            Interleavings.untilDoneOrWaitingOnALock(dispatch);
            commit.countDown();
            archive.get(30, TimeUnit.SECONDS);
            dispatch.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
        }

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("CANCELLED");
        assertThat(scan.getFailureReason())
                .as("the archive's, not the dispatch's")
                .isEqualTo("its project was archived");
        assertThat(auditActions(seeded.scanId()))
                .filteredOn(action -> action.startsWith("scan."))
                .containsExactly("scan.start", "scan.cancel");
    }

    @Test
    void aQueuedScanRunsWithTheRateLimitAndBudgetItsProjectHasWhenDispatched() {
        var acme = tenants.create("slowed");
        var seeded = new TestProjects(context).seed(acme.id(), "Slowed", 0);
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched it, to no runner
        // Queued while the project allowed 1000 requests a second (messages written before this
        // version carry the limits); the target's owner then asks for 5.
        var queued = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api")
                .put("rateLimit", 1000)
                .put("requestBudget", 500_000);
        SystemActor.run(
                acme.id(),
                () -> projects.update(
                        seeded.projectId(), new ProjectDraft(null, null, null, null, null, null, 5, 200, null)));

        dispatch(acme, queued);

        var job = ScanJobCodec.decode(jobsOf(seeded.scanId()).getLast(), JobSeal.of(LocalServicesInitializer.JOB_KEY));
        assertThat(job.requestsPerSecond()).isEqualTo(5);
        assertThat(job.requestBudget()).isEqualTo(200);
    }

    @Test
    void aScanQueuedBeforeItsTargetMovedPortsFailsToo() {
        var acme = tenants.create("moved-port");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        moveTarget(acme, seeded, "http://127.0.0.1:8081/api", "sk_for_the_other_service_0002");
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api");

        dispatch(acme, payload);

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("moved to another host or port");
    }

    @Test
    void aScanQueuedForHttpIsNotDispatchedWithSecretsEnteredOnceTheTargetMovedToHttps() {
        var acme = tenants.create("moved-tls");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        moveTarget(acme, seeded, "https://127.0.0.1:9/api", "sk_only_over_tls_0003");

        dispatch(acme, payload(acme.id().value(), seeded, "http://127.0.0.1:9/api"));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("from https");
    }

    @Test
    void aTargetMovedWhileTheRelayDispatchesItsScansWaitsForTheBatchInsteadOfFailingTheRest() throws Exception {
        var acme = tenants.create("moved-midway");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        var second = SystemActor.call(
                acme.id(), () -> scans.start(seeded.projectId(), null).getId());
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched both, to no runner
        var queuedFor = "http://127.0.0.1:9/api";

        // Between the two, the project moves to https with a new identity in place of the old one.
        inOneBatch(
                acme,
                payload(acme.id().value(), seeded, queuedFor),
                () -> moveTarget(
                        acme,
                        seeded,
                        "https://127.0.0.1:9/api",
                        new IdentityDraft("tls-admin", IdentityKind.BEARER, null, "sk_only_over_tls_0005", null)),
                payload(acme.id().value(), seeded, queuedFor).put("scanId", second.toString()));

        var scan = SystemActor.call(acme.id(), () -> scans.find(second).orElseThrow());
        assertThat(scan.getFailureReason())
                .as("dispatched with the secrets of the target it was queued for")
                .isNull();
        assertThat(scan.getStatus().name()).isEqualTo("QUEUED");
        assertThat(SystemActor.call(
                        acme.id(),
                        () -> projects.find(seeded.projectId()).orElseThrow().getTargetUrl()))
                .as("the move went through once the batch committed")
                .isEqualTo("https://127.0.0.1:9/api");
    }

    @Test
    void aBatchThatFailsOneScanOfAProjectBeingArchivedDoesNotDeadlockOnItsNext() throws Exception {
        var acme = tenants.create("batch-archive");
        var seeded = new TestProjects(context).seed(acme.id(), "Archived midway", 0);
        var second = SystemActor.call(
                acme.id(), () -> scans.start(seeded.projectId(), null).getId());
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched both, to no runner
        var unknownKind = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api");
        unknownKind.putArray("scannerKinds").add("nessus");

        // The first scan cannot run (it names no known scanner) and fails; the project is archived
        // meanwhile. Neither transaction may be aborted as a deadlock.
        inOneBatch(
                acme,
                unknownKind,
                () -> projects.archive(seeded.projectId()),
                payload(acme.id().value(), seeded, "http://127.0.0.1:9/api").put("scanId", second.toString()));

        var failed =
                SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(failed.getStatus().name()).isEqualTo("FAILED");
        assertThat(failed.getFailureReason()).contains("unknown scanner kind: nessus");
        assertThat(SystemActor.call(
                        acme.id(),
                        () -> scans.find(second).orElseThrow().getStatus().name()))
                .as("cancelled by the archive, which waited for the batch")
                .isEqualTo("CANCELLED");
    }

    @Test
    void aScanQueuedForOneCustomScannerIsNotDispatchedToAnother() {
        var acme = tenants.create("custom-image");
        var seeded = new TestProjects(context).seed(acme.id(), "Custom", 0);
        SystemActor.run(
                acme.id(),
                () -> projects.update(
                        seeded.projectId(),
                        new ProjectDraft(
                                null,
                                null,
                                null,
                                List.of("custom"),
                                "registry.example.com/acme/now:1",
                                null,
                                null,
                                null,
                                List.of(TestProjects.apiKeyIdentity("sk_for_the_image_now_0004")))));
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api")
                .put("customScannerImage", "registry.example.com/acme/before:1");
        payload.putArray("scannerKinds").add("custom");

        dispatch(acme, payload);

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("custom scanner changed");
    }

    @Test
    void aSuspendedTenantsQueuedScanIsNotDispatched() throws SQLException {
        var acme = tenants.create("suspended");
        var seeded = new TestProjects(context).seed(acme.id(), "Suspended", 0);
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched it, to no runner
        // Suspending cancels the tenant's scans; one whose start committed just after that (a
        // request authenticated before the suspension) reaches the dispatcher still queued.
        try (var owner = LocalDatabase.asOwner();
                var suspend = owner.prepareStatement("update tenants set status = 'SUSPENDED' where id = ?")) {
            suspend.setString(1, acme.id().value());
            assertThat(suspend.executeUpdate()).isEqualTo(1);
        }

        dispatch(acme, payload(acme.id().value(), seeded, "http://127.0.0.1:9/api"));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("tenant is suspended");
        assertThat(scan.getStartedAt()).as("no scanner started on it").isNull();
        assertThat(outboxTopics(seeded.scanId())).containsExactly("scan.requested", "scan.cancelled");
    }

    @Test
    void aDispatchFailureRolledBackWithItsBatchIsNeverAnnounced() {
        var acme = tenants.create("rolled-back");
        var seeded = new TestProjects(context).seed(acme.id(), "Rolled back", 0);
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched it, to no runner
        var first = feed.changes(acme.id().value(), seeded.scanId()).next().toFuture();

        // The relay's batch fails after this message (Redis refused a later one): all rolls back.
        SystemActor.run(
                acme.id(),
                () -> transactions.executeWithoutResult(status -> {
                    // queued for another port than the project's: its dispatch fails
                    dispatcher.dispatch(
                            ScanService.SCAN_REQUESTED,
                            payload(acme.id().value(), seeded, "http://127.0.0.1:8081/api"));
                    status.setRollbackOnly();
                }));
        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        feed.publish(ScanProgress.of(acme.id().value(), scan));

        assertThat(scan.getStatus().name()).isEqualTo("QUEUED");
        assertThat(first.join().status().name())
                .as("the first announcement is the state that held")
                .isEqualTo("QUEUED");
    }

    @Test
    void aScanWhoseIdentityDoesNotOpenFailsWithoutFailingTheRelaysBatch() throws Exception {
        var acme = tenants.create("unopened");
        var seeded = new TestProjects(context).seed(acme.id(), "Unopened", 0);
        try (var owner = LocalDatabase.asOwner();
                var tamper = owner.prepareStatement(
                        "update projects set target_url = 'http://127.0.0.1:9/elsewhere', scanner_kinds = 'venti custom',"
                                + " custom_scanner_image = 'registry.example.com/x:1' where id = ?")) {
            tamper.setObject(1, seeded.projectId());
            tamper.executeUpdate();
        }
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api");

        // In the relay's batch transaction, as the relay dispatches it: the batch commits.
        SystemActor.run(
                acme.id(),
                () -> transactions.executeWithoutResult(
                        status -> dispatcher.dispatch(ScanService.SCAN_REQUESTED, payload)));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        // What the tenant can act on (ADR 6), not why it does not open, which is for the operator.
        assertThat(scan.getFailureReason())
                .isEqualTo("the scan could not be dispatched: its project's identity admin needs its API key again:"
                        + " the one stored does not open");
    }

    @Test
    void archivingAProjectCancelsItsQueuedScanAudited() {
        var acme = tenants.create("archived");
        var seeded = new TestProjects(context).seed(acme.id(), "Archived", 0);

        SystemActor.run(acme.id(), () -> projects.archive(seeded.projectId()));
        dispatch(acme, payload(acme.id().value(), seeded, "http://127.0.0.1:9/api"));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("CANCELLED");
        assertThat(scan.getFinishedAt()).isNotNull();
        assertThat(scan.getFailureReason()).as("said to whoever started it").isEqualTo("its project was archived");
        var cancels = SystemActor.call(
                acme.id(),
                () -> audit.events(
                                new AuditFilter("scan.cancel", null, null, null, null),
                                ScrollPosition.keyset(),
                                Limit.of(10))
                        .getContent());
        assertThat(cancels)
                .singleElement()
                .satisfies(event ->
                        assertThat(event.targetId()).isEqualTo(seeded.scanId().toString()));
    }

    @Test
    void aJobThatCannotBePreparedFailsTheScanWithoutTheExceptionsText() {
        var acme = tenants.create("unparsable");
        var seeded = new TestProjects(context).seed(acme.id(), "Broken", 0);
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/a path with spaces");

        dispatch(acme, payload);

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason())
                .isEqualTo("the scan could not be dispatched: its job could not be prepared;"
                        + " the platform's log has the details");
    }

    /**
     * Dispatches {@code first} and {@code second} in one transaction, as a relay batch holding two
     * of a project's scans does, with {@code meanwhile} run as the tenant on another thread between
     * them (until it waits for a lock the batch holds, or to its end); returns once it has ended too.
     */
    private void inOneBatch(TestTenants.Fixture tenant, ObjectNode first, Runnable meanwhile, ObjectNode second)
            throws Exception {
        var threads = Executors.newSingleThreadExecutor();
        try {
            var other = new AtomicReference<Future<?>>();
            SystemActor.run(
                    tenant.id(),
                    () -> transactions.executeWithoutResult(status -> {
                        dispatcher.dispatch(ScanService.SCAN_REQUESTED, first);
                        other.set(threads.submit(() -> SystemActor.run(tenant.id(), meanwhile)));
                        Interleavings.untilDoneOrWaitingOnALock(other.get());
                        dispatcher.dispatch(ScanService.SCAN_REQUESTED, second);
                    }));
            other.get().get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
        }
    }

    /** Moves the project's target, giving its identity again with {@code secret}. */
    private void moveTarget(TestTenants.Fixture tenant, TestProjects.Seeded seeded, String target, String secret) {
        moveTarget(tenant, seeded, target, TestProjects.apiKeyIdentity(secret));
    }

    /** Moves the project's target, with {@code identity} as its only one. */
    private void moveTarget(
            TestTenants.Fixture tenant, TestProjects.Seeded seeded, String target, IdentityDraft identity) {
        SystemActor.run(
                tenant.id(),
                () -> projects.update(
                        seeded.projectId(),
                        new ProjectDraft(null, target, null, null, null, null, null, null, List.of(identity))));
    }

    private RStream<String, String> jobs() {
        return redis.getStream(ScanStreams.JOBS, StringCodec.INSTANCE);
    }

    /** The job stream's entries for {@code scan}, oldest first: their fields. */
    private List<Map<String, String>> jobsOf(UUID scan) {
        return jobs().range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                .filter(fields -> ScanJobCodec.scanOf(fields)
                        .map(Map.Entry::getKey)
                        .filter(scan.toString()::equals)
                        .isPresent())
                .toList();
    }

    /** The topics of the outbox messages about {@code scan}, oldest first, read as the owner. */
    private static List<String> outboxTopics(UUID scan) {
        return strings("select topic from outbox where message_key = ? order by created_at, id", scan);
    }

    /** The actions audited on {@code scan}, in their chain's order, read as the owner. */
    private static List<String> auditActions(UUID scan) {
        return strings("select action from audit_events where target_id = ? order by seq", scan);
    }

    private static List<String> strings(String sql, UUID scan) {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setString(1, scan.toString());
            var result = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void dispatch(TestTenants.Fixture tenant, ObjectNode payload) {
        SystemActor.run(tenant.id(), () -> dispatcher.dispatch(ScanService.SCAN_REQUESTED, payload));
    }

    private static ObjectNode payload(String tenant, TestProjects.Seeded seeded, String targetUrl) {
        var payload = JsonMapper.builder()
                .build()
                .createObjectNode()
                .put("scanId", seeded.scanId().toString())
                .put("tenantId", tenant)
                .put("projectId", seeded.projectId().toString())
                .put("specVersionId", seeded.specVersionId().toString())
                .put("profile", "SAFE")
                .put("targetUrl", targetUrl)
                .put("rateLimit", 10)
                .put("requestBudget", 10_000);
        payload.putArray("scannerKinds").add("venti");
        return payload;
    }
}
