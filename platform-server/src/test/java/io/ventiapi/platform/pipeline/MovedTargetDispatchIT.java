package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scan queued for one host is not dispatched after its project moved to another: the secrets
 * read at dispatch were entered for the new host. A scan that cannot be dispatched for a reason
 * of the platform's own fails without showing its readers the library's text.
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

    @Test
    void aScanQueuedBeforeItsTargetMovedHostsFailsInsteadOfTakingTheNewSecretsToTheOldHost() {
        var acme = tenants.create("moved");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        var queuedFor = "http://127.0.0.1:9/api";
        SystemActor.run(
                acme.id(),
                () -> projects.update(
                        seeded.projectId(),
                        new ProjectDraft(
                                null,
                                "http://93.184.215.14/api",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of(TestProjects.apiKeyIdentity("sk_for_the_new_host_only_0001")))));
        var payload = payload(acme.id().value(), seeded, queuedFor);

        SystemActor.run(acme.id(), () -> dispatcher.dispatch(ScanService.SCAN_REQUESTED, payload));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("moved to another host");
    }

    @Test
    void aScanQueuedBeforeItsTargetMovedPortsFailsToo() {
        var acme = tenants.create("moved-port");
        var seeded = new TestProjects(context).seed(acme.id(), "Moving", 0);
        SystemActor.run(
                acme.id(),
                () -> projects.update(
                        seeded.projectId(),
                        new ProjectDraft(
                                null,
                                "http://127.0.0.1:8081/api",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of(TestProjects.apiKeyIdentity("sk_for_the_other_service_0002")))));
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/api");

        SystemActor.run(acme.id(), () -> dispatcher.dispatch(ScanService.SCAN_REQUESTED, payload));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason()).contains("moved to another host or port");
    }

    @Test
    void aJobThatCannotBePreparedFailsTheScanWithoutTheExceptionsText() {
        var acme = tenants.create("unparsable");
        var seeded = new TestProjects(context).seed(acme.id(), "Broken", 0);
        var payload = payload(acme.id().value(), seeded, "http://127.0.0.1:9/a path with spaces");

        SystemActor.run(acme.id(), () -> dispatcher.dispatch(ScanService.SCAN_REQUESTED, payload));

        var scan = SystemActor.call(acme.id(), () -> scans.find(seeded.scanId()).orElseThrow());
        assertThat(scan.getStatus().name()).isEqualTo("FAILED");
        assertThat(scan.getFailureReason())
                .isEqualTo("the scan could not be dispatched: its job could not be prepared;"
                        + " the platform's log has the details");
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
