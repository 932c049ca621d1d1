package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Suspending a tenant stops what it scans: its queued and running scans are cancelled, as an
 * archived project's are, and their workloads told to stop, audited in the tenant's log as the
 * operator's doing. Other tenants' scans, and its scans that had ended, are left as they were.
 */
@VentiIntegrationTest
class TenantSuspensionIT {

    private static final String SUSPEND = """
            mutation($id: ID!) { suspendTenant(input: {id: $id}) { tenant { status } errors { code message } } }""";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    TestTenants tenants;

    @Autowired
    ScanService scans;

    @Autowired
    RedissonClient redis;

    @Test
    void suspendingATenantCancelsItsQueuedAndRunningScansAndStopsTheirWorkloads() throws SQLException {
        var abusive = tenants.create("abusive");
        var projects = new TestProjects(context);
        var queued = projects.seed(abusive.id(), "Queued", 0).scanId();
        var running = projects.seed(abusive.id(), "Running", 0).scanId();
        var failed = projects.seed(abusive.id(), "Ended", 0).scanId();
        var bystander = tenants.create("bystander");
        var elsewhere = projects.seed(bystander.id(), "Elsewhere", 0).scanId();
        TestProjects.awaitOutboxPublished(); // the platform's own relay has dispatched them, to no runner
        SystemActor.run(abusive.id(), () -> {
            scans.scannerStarted(running, Instant.now());
            scans.workloadEnded(failed, "FAILED", "the target went away");
        });
        // The operator's own client: platform admin, without any scan scope.
        var api = new Api(port);
        var client = SystemActor.call(
                TenantId.PLATFORM,
                () -> context.getBean(ApiClientService.class).create("operator", List.of(Scopes.PLATFORM_ADMIN)));
        var operator = api.token(client.client().getClientId(), client.clientSecret());

        var suspended = api.graphql(operator, SUSPEND, Map.of("id", abusive.id().value()));

        assertThat(suspended.data("suspendTenant.tenant.status").asString())
                .as(suspended.body())
                .isEqualTo("SUSPENDED");
        for (var id : List.of(queued, running)) {
            var scan = scan(abusive.id(), id);
            assertThat(scan.getStatus()).as("scan %s", id).isEqualTo(ScanStatus.CANCELLED);
            assertThat(scan.getFinishedAt()).isNotNull();
            assertThat(scan.getFailureReason()).contains("tenant was suspended");
            assertThat(strings("select topic from outbox where message_key = ? order by created_at, id", id))
                    .containsExactly("scan.requested", "scan.cancelled");
            assertThat(strings(
                            "select actor || ' ' || summary from audit_events where action = 'scan.cancel'"
                                    + " and target_id = ?",
                            id))
                    .singleElement()
                    .satisfies(event -> assertThat(event)
                            .startsWith(client.client().getClientId() + " ")
                            .contains("tenant.suspend"));
        }
        assertThat(scan(abusive.id(), failed).getStatus()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan(bystander.id(), elsewhere).getStatus()).isEqualTo(ScanStatus.QUEUED);

        TestProjects.awaitOutboxPublished();
        assertThat(redis.<String>getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE)
                        .readAll())
                .as("what runners holding them stop")
                .contains(queued.toString(), running.toString())
                .doesNotContain(elsewhere.toString());
    }

    private Scan scan(TenantId tenant, UUID id) {
        return SystemActor.call(tenant, () -> scans.find(id).orElseThrow());
    }

    private static List<String> strings(String sql, UUID target) throws SQLException {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setString(1, target.toString());
            var result = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        }
    }
}
