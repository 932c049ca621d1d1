package io.ventiapi.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.FindingFingerprint;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.Severity;
import io.ventiapi.platform.pipeline.PipelineProperties;
import io.ventiapi.platform.pipeline.ScanEventPersister;
import io.ventiapi.platform.project.IdentityDraft;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.IdentitySettings;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.server.support.Eventually;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.redisson.api.BatchOptions;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * What the api role does with scan events it cannot apply at once: it waits for a database that
 * is away, stores what PostgreSQL cannot hold as it can, and sets aside an event the database
 * keeps refusing, failing its scan rather than letting it close findings it never heard about,
 * and without holding up anyone else's scans.
 */
@VentiIntegrationTest
class ScanEventFailuresIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String REFUSED_TITLE = "Refused by the database";
    private static final String OTHER_REPLICA = "other-replica";

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanService scans;

    @Autowired
    RedissonClient redis;

    @Autowired
    DataSource dataSource;

    private final ScanEventCodec codec = new ScanEventCodec();

    @Test
    void anEventArrivingWhileTheDatabaseIsAwayIsAppliedOnceItIsBack() throws Exception {
        var acme = tenants.create("db-away");
        var scan = new TestProjects(context).seed(acme.id(), "Away", 0).scanId();
        long deliveries;
        StreamMessageId id;
        try (var away = LocalDatabase.awayForTheApp()) {
            dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
            id = add(
                    acme.id(),
                    scan,
                    new ScanEvent.ScanStarted(scan.toString(), 0, Instant.now(), "t", "s", 1, "SAFE", 1));
            // Tried (a connection is given up on after 30 s) and read again; or, given up on, no longer pending.
            Eventually.waitFor(WAIT, () -> deliveries(id) >= 2 || delivered(id) && deliveries(id) == 0, () -> id);
            deliveries = deliveries(id);
        }

        assertThat(deliveries).as("the event is still pending").isGreaterThanOrEqualTo(2);
        Eventually.waitFor(WAIT, () -> statusOnceBack(acme.id(), scan) == ScanStatus.RUNNING, () -> "not running");
    }

    @Test
    void textPostgreSqlCannotHoldIsStoredWithReplacementCharacters() throws Exception {
        var acme = tenants.create("nul-text");
        var scan = new TestProjects(context).seed(acme.id(), "Binary", 0).scanId();

        add(acme.id(), scan, reported(scan, "Binary body echoed", "HTTP 200\n\n\u0000PNG\u0000"));
        ended(acme.id(), scan, Map.of(ScanStreams.OUTCOME, "FAILED", ScanStreams.REASON, "exit\u0000code 3"));

        Eventually.waitFor(WAIT, () -> !scan(acme.id(), scan).getStatus().isActive(), () -> scan(acme.id(), scan));
        var ended = scan(acme.id(), scan);
        assertThat(ended.getStatus()).isEqualTo(ScanStatus.FAILED);
        assertThat(ended.getFailureReason()).isEqualTo("exit\uFFFDcode 3");
        assertThat(storedResponse(acme.id(), "Binary body echoed")).contains("\uFFFDPNG\uFFFD");
    }

    @Test
    void aScannersReasonIsKeptWithoutTheProjectsSecretsOrCredentialsAndCut() {
        var acme = tenants.create("secret-reason");
        var scan = new TestProjects(context).seed(acme.id(), "Quoting", 0).scanId();
        // A custom scanner may quote what it sent and where: the identity's key, a bearer token,
        // a URL with a password and a signed query.
        var said = "login refused for key " + TestProjects.API_KEY + " with Bearer eyJabc.def-ghi_jkl at"
                + " https://ci:hunter22@auth.shop.test/token?sig=s1gn3d&tenant=acme " + "x".repeat(3_000);

        add(acme.id(), scan, new ScanEvent.ScanStarted(scan.toString(), 0, Instant.now(), "t", "s", 1, "SAFE", 1));
        add(
                acme.id(),
                scan,
                new ScanEvent.ScanFinished(
                        scan.toString(), 2, Instant.now(), ScanEvent.ScanOutcome.FAILED, said, 3, 10, Map.of()));
        ended(acme.id(), scan, Map.of(ScanStreams.OUTCOME, "SUCCEEDED"));

        Eventually.waitFor(WAIT, () -> !scan(acme.id(), scan).getStatus().isActive(), () -> scan(acme.id(), scan));
        var failed = scan(acme.id(), scan);
        assertThat(failed.getStatus()).isEqualTo(ScanStatus.FAILED);
        assertThat(failed.getFailureReason())
                .startsWith(
                        "login refused for key [REDACTED] with Bearer [REDACTED] at https://[REDACTED]@auth.shop.test/token?sig=[REDACTED]&tenant=acme ")
                .hasSize(Scan.MAX_REASON)
                .doesNotContain(TestProjects.API_KEY, "eyJabc", "hunter22", "s1gn3d");
        assertThat(auditedReason(acme.id(), scan)).doesNotContain(TestProjects.API_KEY, "eyJabc", "hunter22", "s1gn3d");
    }

    @Test
    void aWorkloadsReasonIsKeptWithoutTheProjectsSecrets() {
        var acme = tenants.create("secret-workload");
        var scan = new TestProjects(context).seed(acme.id(), "Terminated", 0).scanId();

        // A container's termination message is whatever the scanner wrote there.
        ended(
                acme.id(),
                scan,
                Map.of(ScanStreams.OUTCOME, "FAILED", ScanStreams.REASON, "exit 1: " + TestProjects.API_KEY));

        Eventually.waitFor(WAIT, () -> !scan(acme.id(), scan).getStatus().isActive(), () -> scan(acme.id(), scan));
        assertThat(scan(acme.id(), scan).getFailureReason()).isEqualTo("exit 1: [REDACTED]");
    }

    @Test
    void aReasonKeepsALoginsUserNameAndLosesItsPassword() {
        var acme = tenants.create("reason-login");
        var seeded = new TestProjects(context).seed(acme.id(), "Login", 0);
        var login = new IdentityDraft(
                "shopper",
                IdentityKind.LOGIN_FLOW,
                new IdentitySettings(null, null, null, null, null, null, null, "/login", null, null),
                null,
                Map.of("email", "scanner-bob@shop.test", "password", "pw-s3cr3t-9"));
        SystemActor.run(
                acme.id(),
                () -> context.getBean(ProjectService.class)
                        .update(
                                seeded.projectId(),
                                new ProjectDraft(
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        List.of(TestProjects.apiKeyIdentity(TestProjects.API_KEY), login))));

        ended(
                acme.id(),
                seeded.scanId(),
                Map.of(
                        ScanStreams.OUTCOME,
                        "FAILED",
                        ScanStreams.REASON,
                        "login as scanner-bob@shop.test with pw-s3cr3t-9 refused"));

        Eventually.waitFor(
                WAIT,
                () -> !scan(acme.id(), seeded.scanId()).getStatus().isActive(),
                () -> scan(acme.id(), seeded.scanId()));
        assertThat(scan(acme.id(), seeded.scanId()).getFailureReason())
                .isEqualTo("login as scanner-bob@shop.test with [REDACTED] refused");
    }

    @Test
    void anEventTheDatabaseKeepsRefusingIsSetAsideItsScanFailsAndOtherScansGoOn() throws Exception {
        var acme = tenants.create("refused");
        var other = tenants.create("unaffected");
        var refusedScan =
                new TestProjects(context).seed(acme.id(), "Refused", 0).scanId();
        var otherScan =
                new TestProjects(context).seed(other.id(), "Unaffected", 0).scanId();
        // A constraint the event breaks, as a change the database will never take.
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.createStatement()) {
            statement.execute("alter table findings add constraint it_refused_title" + " check (title <> '"
                    + REFUSED_TITLE + "') not valid");
        }
        StreamMessageId refused;
        try {
            refused = add(acme.id(), refusedScan, reported(refusedScan, REFUSED_TITLE, "HTTP 200"));
            add(other.id(), otherScan, reported(otherScan, "Recorded after it", "HTTP 200"));

            Eventually.waitFor(
                    WAIT,
                    () -> setAside(refused).isPresent(),
                    () -> scan(acme.id(), refusedScan).getStatus());
            Eventually.waitFor(
                    WAIT,
                    () -> storedResponse(other.id(), "Recorded after it") != null,
                    () -> scan(other.id(), otherScan).getSeverityCounts());
        } finally {
            try (var owner = LocalDatabase.asOwner();
                    var statement = owner.createStatement()) {
                statement.execute("alter table findings drop constraint it_refused_title");
            }
        }

        var kept = setAside(refused).orElseThrow();
        assertThat(kept)
                .containsEntry(ScanStreams.SCAN_ID, refusedScan.toString())
                .containsEntry(ScanStreams.TENANT, acme.id().value())
                .containsEntry("error", "DataIntegrityViolationException (SQL state 23514)");
        assertThat(kept.get(ScanStreams.LINE)).contains(REFUSED_TITLE);
        var failed = scan(acme.id(), refusedScan);
        assertThat(failed.getStatus()).isEqualTo(ScanStatus.FAILED);
        assertThat(failed.getFailureReason())
                .isEqualTo("a report of its scanner could not be stored: the platform's log has the details");
        assertThat(storedResponse(acme.id(), REFUSED_TITLE)).isNull();
        // Its workload, if a runner held it, is told to stop.
        Eventually.waitFor(
                WAIT,
                () -> redis.<String>getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE)
                        .contains(refusedScan.toString()),
                () -> "not announced as stopped");
        assertThat(pending()).doesNotContain(refused);
    }

    @Test
    void aScansEndWaitsForAReportAnotherReplicaIsStillApplyingWhileOtherScansGoOn() {
        // With more of the waiting scan's entries than one page, other scans' still go on.
        var acme = tenants.create("replicas");
        var scan = new TestProjects(context).seed(acme.id(), "Replicated", 0).scanId();
        var other = new TestProjects(context).seed(acme.id(), "Meanwhile", 0).scanId();
        var pipeline = context.getBean("scanPipelineLifecycle", SmartLifecycle.class);
        var ours = context.getBean(PipelineProperties.class).consumer();
        var events = stream(ScanStreams.EVENTS);
        StreamMessageId report = null;
        StreamMessageId end;
        try {
            pipeline.stop();
            try {
                report = add(acme.id(), scan, reported(scan, "Reported before the end", "HTTP 200"));
                // Another replica reads the report, and is slow to apply it. (Should this replica's
                // last read, as it stopped, have taken it, it is handed over all the same.)
                var read =
                        events.readGroup(ScanStreams.PERSISTERS, OTHER_REPLICA, StreamReadGroupArgs.neverDelivered());
                for (var id : read.keySet()) {
                    if (!id.equals(report)) {
                        events.claim(ScanStreams.PERSISTERS, ours, 0, TimeUnit.MILLISECONDS, id); // not this test's
                    }
                }
                events.claim(ScanStreams.PERSISTERS, OTHER_REPLICA, 0, TimeUnit.MILLISECONDS, report);
                add(
                        acme.id(),
                        scan,
                        new ScanEvent.ScanFinished(
                                scan.toString(),
                                2,
                                Instant.now(),
                                ScanEvent.ScanOutcome.COMPLETED,
                                "",
                                1,
                                1,
                                Map.of(Severity.HIGH, 1)));
                end = ended(acme.id(), scan, Map.of(ScanStreams.OUTCOME, "SUCCEEDED"));
                // More of the held scan than one page of this replica's pending entries.
                for (int seq = 3; seq < 153; seq++) {
                    add(
                            acme.id(),
                            scan,
                            new ScanEvent.Progress(scan.toString(), seq, Instant.now(), "cleanup", 1, 1, 1, 1));
                }
            } finally {
                pipeline.start();
            }
            assertThat(events.listPending(ScanStreams.PERSISTERS, report, report, 1))
                    .extracting(entry -> entry.getConsumerName())
                    .containsExactly(OTHER_REPLICA);

            // This replica holds the end back (or, wrongly, ends the scan at once), and meanwhile
            // applies another scan's events.
            Eventually.waitFor(
                    WAIT,
                    () -> deliveries(end) >= 2
                            || !scan(acme.id(), scan).getStatus().isActive(),
                    () -> scan(acme.id(), scan).getStatus());
            add(
                    acme.id(),
                    other,
                    new ScanEvent.ScanStarted(other.toString(), 0, Instant.now(), "t", "s", 1, "SAFE", 1));
            // The other replica is alive and busy: its report is never old enough to take over.
            var busy = report;
            Eventually.waitFor(
                    WAIT,
                    () -> !events.claim(ScanStreams.PERSISTERS, OTHER_REPLICA, 0, TimeUnit.MILLISECONDS, busy)
                                    .isEmpty()
                            && scan(acme.id(), other).getStatus() == ScanStatus.RUNNING,
                    () -> scan(acme.id(), other).getStatus());
            assertThat(scan(acme.id(), scan).getStatus()).isEqualTo(ScanStatus.QUEUED);

            // The other replica stopped: this one takes its report over.
            events.claim(ScanStreams.PERSISTERS, ours, 0, TimeUnit.MILLISECONDS, report);
            Eventually.waitFor(WAIT, () -> !scan(acme.id(), scan).getStatus().isActive(), () -> scan(acme.id(), scan));
        } finally {
            if (report != null) {
                events.claim(ScanStreams.PERSISTERS, ours, 0, TimeUnit.MILLISECONDS, report);
            }
            events.removeConsumer(ScanStreams.PERSISTERS, OTHER_REPLICA);
        }

        assertThat(scan(acme.id(), scan).getStatus()).isEqualTo(ScanStatus.SUCCEEDED);
        assertThat(storedResponse(acme.id(), "Reported before the end"))
                .as("the report was recorded, not ignored after the end")
                .isNotNull();
    }

    @Test
    void whatElseAScannerPrintsIsSkippedAndItsScanGoesOn() {
        var acme = tenants.create("log-lines");
        var scan = new TestProjects(context).seed(acme.id(), "Chatty", 0).scanId();

        var logLine = printed(acme.id(), scan, "Picked up JAVA_TOOL_OPTIONS: -Xmx256m");
        add(acme.id(), scan, new ScanEvent.ScanStarted(scan.toString(), 0, Instant.now(), "t", "s", 1, "SAFE", 1));

        Eventually.waitFor(
                WAIT,
                () -> scan(acme.id(), scan).getStatus() == ScanStatus.RUNNING,
                () -> scan(acme.id(), scan).getStatus());
        assertThat(pending()).doesNotContain(logLine);
        assertThat(setAside(logLine)).isEmpty();
        // Nor is anything applied kept on the stream: what scanners print holds unredacted evidence.
        Eventually.waitFor(
                WAIT,
                () -> stream(ScanStreams.EVENTS).range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                        .noneMatch(entry -> scan.toString().equals(entry.get(ScanStreams.SCAN_ID))),
                () -> "the scan's entries are still on the stream");
    }

    @Test
    void aFindingWithATitleLongerThanStoredIsKeptCutAndOneThePlatformRefusesFailsItsScanSayingWhy()
            throws SQLException {
        var acme = tenants.create("invalid-finding");
        var scan = new TestProjects(context).seed(acme.id(), "Invalid", 0).scanId();

        // Other scanners write titles of any length: the finding is kept, its title cut.
        // Nor does a title keep an identity's secret that a scanner quoted.
        var longTitle = "Reflected input " + TestProjects.API_KEY + " " + "x".repeat(600);
        add(acme.id(), scan, reported(scan, longTitle, "HTTP 200"));
        Eventually.waitFor(WAIT, () -> titles(scan).size() == 1, () -> titles(scan));
        assertThat(titles(scan).getFirst())
                .hasSize(500)
                .startsWith("Reflected input [REDACTED] xxx")
                .doesNotContain(TestProjects.API_KEY)
                .endsWith("xx…");
        assertThat(scan(acme.id(), scan).getStatus()).isEqualTo(ScanStatus.QUEUED);

        var refused = add(acme.id(), scan, reported(scan, " ", "HTTP 200"));

        Eventually.waitFor(
                WAIT,
                () -> setAside(refused).isPresent(),
                () -> scan(acme.id(), scan).getStatus());
        var failed = scan(acme.id(), scan);
        assertThat(failed.getStatus()).isEqualTo(ScanStatus.FAILED);
        assertThat(failed.getFailureReason())
                .isEqualTo("a report of its scanner could not be stored: a finding's title is required");
    }

    private static List<String> titles(UUID scan) {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select title from findings where last_seen_scan_id = ?")) {
            statement.setObject(1, scan);
            var titles = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    titles.add(rows.getString(1));
                }
            }
            return titles;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Redis lost its data (a restart without persistence, a failover): the events stream is gone,
     * its group with it, and a runner's next event created the stream anew, without the group.
     * Reading failed with NOGROUP, and would for ever; the persister creates the group again, from
     * the new stream's first entry, so that event is applied, and so is the next.
     */
    @Test
    void eventsAddedAfterRedisLostTheStreamAndItsGroupAreApplied() {
        var acme = tenants.create("group-lost");
        var scan = new TestProjects(context).seed(acme.id(), "Lost", 0).scanId();
        var started = new ScanEvent.ScanStarted(scan.toString(), 0, Instant.now(), "t", "s", 1, "SAFE", 1);

        // Lost and added to in one transaction: the event is on the new stream before the persister
        // reads again (one that created the group from the stream's end would skip it).
        var batch =
                redis.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
        var events = batch.<String, String>getStream(ScanStreams.EVENTS, StringCodec.INSTANCE);
        events.deleteAsync();
        events.addAsync(StreamAddArgs.entries(line(acme.id(), scan, codec.toLine(started))));
        batch.execute();

        Eventually.waitFor(
                WAIT,
                () -> scan(acme.id(), scan).getStatus() == ScanStatus.RUNNING,
                () -> scan(acme.id(), scan).getStatus());
        ended(acme.id(), scan, Map.of(ScanStreams.OUTCOME, "FAILED", ScanStreams.REASON, "after the loss"));
        Eventually.waitFor(WAIT, () -> !scan(acme.id(), scan).getStatus().isActive(), () -> scan(acme.id(), scan));
        assertThat(scan(acme.id(), scan).getFailureReason()).isEqualTo("after the loss");
        Eventually.waitFor(WAIT, () -> pending().isEmpty(), this::pending);
    }

    private ScanEvent.FindingReported reported(UUID scan, String title, String response) {
        var fingerprint = FindingFingerprint.of("it.rule", "GET", "/" + title.hashCode(), null);
        return new ScanEvent.FindingReported(
                scan.toString(),
                1,
                Instant.now(),
                new Finding(
                        "it.rule",
                        title,
                        OwaspCategory.API8,
                        0,
                        Severity.HIGH,
                        Confidence.CONFIRMED,
                        "GET",
                        "/" + title.hashCode(),
                        null,
                        new Evidence(List.of(new Evidence.Exchange("GET /", response, 1)), null),
                        null,
                        fingerprint));
    }

    private StreamMessageId add(TenantId tenant, UUID scan, ScanEvent event) {
        return printed(tenant, scan, codec.toLine(event));
    }

    private StreamMessageId printed(TenantId tenant, UUID scan, String line) {
        return events(line(tenant, scan, line));
    }

    /** The runner's entry for one line the scanner printed. */
    private static Map<String, String> line(TenantId tenant, UUID scan, String line) {
        return Map.of(
                ScanStreams.SCAN_ID,
                scan.toString(),
                ScanStreams.TENANT,
                tenant.value(),
                ScanStreams.KIND,
                ScanStreams.KIND_ENGINE,
                ScanStreams.LINE,
                line);
    }

    /** The runner's entry saying how the scan's workload ended ({@code outcome}, maybe a {@code reason}). */
    private StreamMessageId ended(TenantId tenant, UUID scan, Map<String, String> how) {
        var entry = new HashMap<>(how);
        entry.put(ScanStreams.SCAN_ID, scan.toString());
        entry.put(ScanStreams.TENANT, tenant.value());
        entry.put(ScanStreams.KIND, ScanStreams.KIND_WORKLOAD);
        return events(entry);
    }

    private StreamMessageId events(Map<String, String> entry) {
        return stream(ScanStreams.EVENTS).add(StreamAddArgs.entries(entry));
    }

    private RStream<String, String> stream(String name) {
        return redis.getStream(name, StringCodec.INSTANCE);
    }

    private long deliveries(StreamMessageId id) {
        return stream(ScanStreams.EVENTS).listPending(ScanStreams.PERSISTERS, id, id, 1).stream()
                .mapToLong(entry -> entry.getDeliveryCount())
                .sum();
    }

    private boolean delivered(StreamMessageId id) {
        return stream(ScanStreams.EVENTS).listGroups().stream()
                .filter(group -> group.getName().equals(ScanStreams.PERSISTERS))
                .map(group -> group.getLastDeliveredId())
                .anyMatch(last ->
                        last.getId0() > id.getId0() || last.getId0() == id.getId0() && last.getId1() >= id.getId1());
    }

    private List<StreamMessageId> pending() {
        return stream(ScanStreams.EVENTS)
                .listPending(ScanStreams.PERSISTERS, StreamMessageId.MIN, StreamMessageId.MAX, 1_000)
                .stream()
                .map(entry -> entry.getId())
                .toList();
    }

    private Optional<Map<String, String>> setAside(StreamMessageId id) {
        return stream(ScanEventPersister.SET_ASIDE).range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                .filter(entry -> id.toString().equals(entry.get("entryId")))
                .findFirst();
    }

    /** The scan's status, or null while the application's connections are still coming back. */
    private ScanStatus statusOnceBack(TenantId tenant, UUID id) {
        try {
            return scan(tenant, id).getStatus();
        } catch (DataAccessException | TransactionException e) {
            return null;
        }
    }

    private Scan scan(TenantId tenant, UUID id) {
        return SystemActor.call(tenant, () -> scans.find(id).orElseThrow());
    }

    /** The summary of the scan's {@code scan.end} audit event, as stored. */
    private static String auditedReason(TenantId tenant, UUID scan) {
        try (var owner = LocalDatabase.asOwner();
                var query = owner.prepareStatement("select summary from audit_events"
                        + " where tenant_id = ? and action = 'scan.end' and target_id = ?")) {
            query.setString(1, tenant.value());
            query.setString(2, scan.toString());
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).as("the scan's end is audited").isTrue();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response shown in the evidence of the tenant's finding with this title; null if none. */
    private static String storedResponse(TenantId tenant, String title) {
        try (var owner = LocalDatabase.asOwner();
                var query = owner.prepareStatement("select e.response from findings f"
                        + " join finding_evidence e on e.finding_id = f.id where f.tenant_id = ? and f.title = ?")) {
            query.setString(1, tenant.value());
            query.setString(2, title);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
