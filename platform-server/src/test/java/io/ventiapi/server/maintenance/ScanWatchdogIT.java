package io.ventiapi.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** A scan whose runner went quiet for good does not read RUNNING forever. */
@VentiIntegrationTest
class ScanWatchdogIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ScanWatchdog watchdog;

    @Autowired
    ScanService scans;

    @Autowired
    RedissonClient redis;

    @Test
    void aScanRunningLongPastItsTimeBoxEndsTimedOutAndItsWorkloadIsToldToStop() throws Exception {
        var acme = tenants.create("watchdog");
        var projects = new TestProjects(context);
        var abandoned = projects.seed(acme.id(), "Abandoned", 0).scanId();
        var working = projects.seed(acme.id(), "Working", 0).scanId();
        startedAgo(abandoned, watchdog.overdueAfter().plusMinutes(1));
        startedAgo(working, watchdog.overdueAfter().minusMinutes(5));

        watchdog.sweep();

        var ended = scan(acme.id(), abandoned);
        assertThat(ended.getStatus()).isEqualTo(ScanStatus.TIMED_OUT);
        assertThat(ended.getFailureReason())
                .isEqualTo("still running at twice its time box: its runner is taken for gone");
        assertThat(ended.getFinishedAt()).isNotNull();
        assertThat(scan(acme.id(), working).getStatus()).isEqualTo(ScanStatus.RUNNING);
        assertThat(count(
                        "select count(*) from audit_events where tenant_id = ? and action = 'scan.end'"
                                + " and target_id = ?",
                        acme.id(),
                        abandoned))
                .isEqualTo(1);
        assertThat(count(
                        "select count(*) from outbox where tenant_id = ? and topic = 'scan.cancelled'"
                                + " and message_key = ?",
                        acme.id(),
                        abandoned))
                .isEqualTo(1);

        // A second sweep (another replica's, say) ends nothing twice.
        watchdog.sweep();
        assertThat(count(
                        "select count(*) from audit_events where tenant_id = ? and action = 'scan.end'"
                                + " and target_id = ?",
                        acme.id(),
                        abandoned))
                .isEqualTo(1);
    }

    @Test
    void overdueScansAreLockedInTheOrderArchivingLocksThemSoNeitherIsAbortedAsADeadlock() throws Exception {
        var acme = tenants.create("watchdog-order");
        var projects = new TestProjects(context);
        var seeded = projects.seed(acme.id(), "Archived meanwhile", 0);
        var other = SystemActor.call(
                acme.id(), () -> scans.start(seeded.projectId(), null).getId());
        var ids = Stream.of(seeded.scanId(), other)
                .sorted(Comparator.comparing(UUID::toString))
                .toList();
        var first = ids.get(0);
        var second = ids.get(1);
        // The one archiving locks second started first: by start, the watchdog would lock it first.
        startedAgo(second, watchdog.overdueAfter().plusMinutes(10));
        startedAgo(first, watchdog.overdueAfter().plusMinutes(5));

        try (var archiving = LocalDatabase.asOwner()) {
            archiving.setAutoCommit(false);
            lock(archiving, first);
            var sweep = CompletableFuture.supplyAsync(watchdog::sweep, Thread::startVirtualThread);
            Interleavings.untilDoneOrBlockedBy(sweep, archiving);
            lock(archiving, second); // a deadlock aborts this, or the sweep
            archiving.commit();
            sweep.get(30, TimeUnit.SECONDS);
        }

        assertThat(scan(acme.id(), first).getStatus()).isEqualTo(ScanStatus.TIMED_OUT);
        assertThat(scan(acme.id(), second).getStatus()).isEqualTo(ScanStatus.TIMED_OUT);
    }

    private static void lock(Connection connection, UUID scan) throws SQLException {
        try (var statement = connection.prepareStatement("select id from scans where id = ? for update")) {
            statement.setObject(1, scan);
            statement.executeQuery().close();
        }
    }

    @Test
    void aQueuedScanWhoseJobRedisLostIsPublishedAgainAndOneStillWaitingIsLeftAlone() throws Exception {
        var acme = tenants.create("lost-jobs");
        var projects = new TestProjects(context);
        var lost = projects.seed(acme.id(), "Lost", 0).scanId();
        var waiting = projects.seed(acme.id(), "Waiting", 0).scanId();
        var older = projects.seed(acme.id(), "Published before markers", 0).scanId();
        TestProjects.awaitOutboxPublished();
        assertThat(jobsOf(lost)).hasSize(1);
        assertThat(jobsOf(waiting)).hasSize(1);

        // Redis loses one job (a restart without persistence loses both it and its marker), and
        // neither scan has been taken by a runner since its request went out.
        jobs().remove(jobsOf(lost).toArray(StreamMessageId[]::new));
        redis.getKeys().delete(ScanStreams.JOBS + ":published:" + lost);
        publishedAgo(lost, ScanWatchdog.INTERVAL.plusMinutes(1));
        publishedAgo(waiting, ScanWatchdog.INTERVAL.plusMinutes(1));
        // A job the relay published before it set markers has none, and is not lost for that.
        redis.getKeys().delete(ScanStreams.JOBS + ":published:" + older);
        publishedAgo(older, ScanWatchdog.INTERVAL.plusMinutes(1));
        try (var owner = LocalDatabase.asOwner();
                var statement =
                        owner.prepareStatement("update outbox set published_marked = false where message_key = ?")) {
            statement.setString(1, older.toString());
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }

        watchdog.sweep();
        TestProjects.awaitOutboxPublished();

        assertThat(jobsOf(lost)).hasSize(1);
        assertThat(jobsOf(waiting)).hasSize(1);
        assertThat(scan(acme.id(), lost).getStatus()).isEqualTo(ScanStatus.QUEUED);
        assertThat(requeues(acme.id(), lost)).isEqualTo(1);
        assertThat(requeues(acme.id(), waiting)).isZero();
        assertThat(requeues(acme.id(), older)).isZero();
        assertThat(jobsOf(older)).hasSize(1);

        // Published again, it has its marker again: a later sweep leaves it alone.
        publishedAgo(lost, ScanWatchdog.INTERVAL.plusMinutes(1));
        watchdog.sweep();
        TestProjects.awaitOutboxPublished();
        assertThat(jobsOf(lost)).hasSize(1);
        assertThat(requeues(acme.id(), lost)).isEqualTo(1);
    }

    @Test
    void aSuspendedTenantsScansThatItsSuspensionLeftAreCancelledAtTheNextSweep() throws Exception {
        var acme = tenants.create("suspended-left");
        var projects = new TestProjects(context);
        var queued = projects.seed(acme.id(), "Queued", 0).scanId();
        var running = projects.seed(acme.id(), "Running", 0).scanId();
        startedAgo(running, Duration.ofMinutes(1));
        // Suspended by a replica that stopped before it cancelled the tenant's scans.
        try (var owner = LocalDatabase.asOwner();
                var suspend = owner.prepareStatement("update tenants set status = 'SUSPENDED' where id = ?")) {
            suspend.setString(1, acme.id().value());
            assertThat(suspend.executeUpdate()).isEqualTo(1);
        }

        watchdog.sweep();

        for (var id : List.of(queued, running)) {
            var scan = scan(acme.id(), id);
            assertThat(scan.getStatus()).isEqualTo(ScanStatus.CANCELLED);
            assertThat(scan.getFailureReason()).isEqualTo("its tenant was suspended");
            assertThat(count(
                            "select count(*) from outbox where tenant_id = ? and topic = 'scan.cancelled'"
                                    + " and message_key = ?",
                            acme.id(),
                            id))
                    .isEqualTo(1);
        }
    }

    private RStream<String, String> jobs() {
        return redis.getStream(ScanStreams.JOBS, StringCodec.INSTANCE);
    }

    /** The ids of the job stream's entries for {@code scan}. */
    private List<StreamMessageId> jobsOf(UUID scan) {
        return jobs().range(StreamMessageId.MIN, StreamMessageId.MAX).entrySet().stream()
                .filter(entry -> ScanJobCodec.scanOf(entry.getValue())
                        .map(Map.Entry::getKey)
                        .filter(scan.toString()::equals)
                        .isPresent())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static long requeues(TenantId tenant, UUID scan) throws SQLException {
        return count(
                "select count(*) from audit_events where tenant_id = ? and action = 'scan.requeue' and target_id = ?",
                tenant,
                scan);
    }

    private static void publishedAgo(UUID scan, Duration ago) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("update outbox set published_at = now() - ?::interval"
                        + " where topic = 'scan.requested' and message_key = ?")) {
            statement.setString(1, ago.toSeconds() + " seconds");
            statement.setString(2, scan.toString());
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private Scan scan(TenantId tenant, UUID id) {
        return SystemActor.call(tenant, () -> scans.find(id).orElseThrow());
    }

    private static void startedAgo(UUID scan, Duration ago) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("update scans set status = 'RUNNING',"
                        + " queued_at = now() - ?::interval, started_at = now() - ?::interval where id = ?")) {
            statement.setString(1, (ago.toSeconds() + 60) + " seconds");
            statement.setString(2, ago.toSeconds() + " seconds");
            statement.setObject(3, scan);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static long count(String sql, TenantId tenant, UUID target) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setString(1, tenant.value());
            statement.setString(2, target.toString());
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
