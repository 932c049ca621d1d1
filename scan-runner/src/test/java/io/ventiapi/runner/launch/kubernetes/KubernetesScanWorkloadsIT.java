package io.ventiapi.runner.launch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.EgressDestination;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The launcher's objects on a real cluster (k3s: Pod Security Admission, a NetworkPolicy
 * controller, CoreDNS labelled {@code k8s-app=kube-dns}). The scanner is replaced by busybox
 * printing two NDJSON lines, since the engine image is not in k3s's registry; everything else is
 * what the launcher creates. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class KubernetesScanWorkloadsIT {

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.2-k3s1"));

    static KubernetesClient client;

    static final TenantId TENANT = TenantId.of("it-tenant");

    /**
     * Proves the guardrails from inside the pod: the Secret is mounted, {@code /tmp} is writable,
     * the root filesystem is not; then prints what a scanner prints.
     */
    static final String FAKE_SCANNER = """
            touch /tmp/writable || exit 10
            if touch /written 2>/dev/null; then exit 11; fi
            test -s /var/run/venti/scan/engine.args || exit 12
            echo "{\\"v\\":1,\\"type\\":\\"scan.started\\",\\"seq\\":0,\\"specBytes\\":$(wc -c < /var/run/venti/scan/spec/openapi.yaml)}"
            echo '{"v":1,"type":"scan.finished","seq":1,"outcome":"COMPLETED"}'
            """;

    @BeforeAll
    static void client() {
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
                .build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    void aScanPodStartsUnderEveryGuardrailAndItsLinesAndOutcomeComeBack() throws InterruptedException {
        var properties = properties(Duration.ofMinutes(2));
        ScanJob job = scan("1a2b3c4d-0000-4000-8000-000000000001", Duration.ofMinutes(3));

        KubernetesRunningScan scan = start(job, properties, FAKE_SCANNER);
        List<String> lines = new CopyOnWriteArrayList<>();
        scan.follow(lines::add);

        assertThat(lines)
                .containsExactly(
                        "{\"v\":1,\"type\":\"scan.started\",\"seq\":0,\"specBytes\":"
                                + job.specDocument().length() + "}",
                        "{\"v\":1,\"type\":\"scan.finished\",\"seq\":1,\"outcome\":\"COMPLETED\"}");
        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());

        scan.close();
        String namespace = TENANT.namespace();
        String name = KubernetesScanManifests.workloadName(job);
        assertThat(client.secrets().inNamespace(namespace).withName(name).get()).isNull();
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(namespace)
                        .withName(name)
                        .get())
                .isNull();
    }

    @Test
    void aScannerPastItsDeadlineTimesOut() throws InterruptedException {
        var properties = properties(Duration.ZERO);
        ScanJob job = scan("1a2b3c4d-0000-4000-8000-000000000002", Duration.ofSeconds(5));

        KubernetesRunningScan scan = start(job, properties, "sleep 300");
        scan.follow(line -> {});

        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.TimedOut());
        scan.close();
    }

    /** What {@link KubernetesScanWorkloads#startOrAttach} does, with the scanner's command swapped. */
    private static KubernetesRunningScan start(ScanJob job, KubernetesLauncherProperties properties, String script) {
        String namespace = new TenantNamespaceProvisioner(client, properties).provision(job.tenant());
        var manifests = new KubernetesScanManifests(client, properties);
        var egress = List.of(new EgressDestination("10.0.0.1", java.net.InetAddress.ofLiteral("10.0.0.1"), 8080));
        client.resource(manifests.networkPolicy(job, namespace, egress)).create();
        client.resource(manifests.secret(job, namespace, egress)).create();
        Job busybox = new JobBuilder(manifests.job(job, namespace))
                .editSpec()
                .editTemplate()
                .editSpec()
                .editFirstContainer()
                .withImage("busybox:1.37")
                .withCommand("sh", "-c", script)
                .withArgs()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        Job created = client.resource(busybox).create();
        return new KubernetesRunningScan(client, created, job, Duration.ofMillis(500));
    }

    private static KubernetesLauncherProperties properties(Duration deadlineGrace) {
        var defaults = KubernetesLauncherProperties.defaults();
        return new KubernetesLauncherProperties(
                defaults.images(),
                defaults.scanner(),
                defaults.quota(),
                defaults.dns(),
                defaults.runAsUser(),
                deadlineGrace,
                defaults.ttlAfterFinished(),
                Duration.ofMillis(500),
                defaults.allowPrivateTargets());
    }

    private static ScanJob scan(String scanId, Duration timeBox) {
        return new ScanJob(
                scanId,
                TENANT,
                ScannerKind.VENTI,
                null,
                URI.create("http://10.0.0.1:8080"),
                "SAFE",
                10,
                100,
                timeBox,
                "openapi: 3.0.3\ninfo: {title: IT, version: '1'}\npaths: {}\n",
                List.of("type=bearer,token=it-secret"),
                null);
    }
}
