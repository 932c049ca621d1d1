package io.ventiapi.runner.launch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.BoundedLineReader;
import io.ventiapi.runner.launch.EngineArguments;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher against fabric8's mock API server in CRUD mode: what it creates for a scan (every
 * guardrail field), re-attaching, cancelling, cleaning up, and how it reads a Job's end. The mock
 * runs no controllers: tests play the Job controller and the kubelet by creating the pod and
 * setting statuses themselves.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesScanWorkloadsTest {

    KubernetesClient client;
    KubernetesMockServer server;

    static final TenantId ACME = TenantId.of("acme");
    static final String SCAN_ID = "0b9e6a52-7c1d-4f3e-9a41-5d2c8e7f1a20";
    static final String NAMESPACE = "venti-t-acme";
    static final String NAME = "venti-scan-" + SCAN_ID;
    static final String SPEC = "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\npaths: {}\n";
    static final String BEARER = "type=bearer,token=s3cr3t-token";
    static final String OAUTH2 =
            "type=oauth2,token-url=https://idp.example.com/oauth/token,client-id=shop,client-secret=cl1ent\\,s3cret";
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static final Map<String, String> SCAN_LABELS = Map.of(
            "app.kubernetes.io/name", "venti-scanner",
            "app.kubernetes.io/part-of", "ventiapi",
            "app.kubernetes.io/managed-by", "venti-runner",
            "venti.io/scan-id", SCAN_ID,
            "venti.io/scanner", "venti",
            "venti.io/tenant", "acme");

    static final HostResolver RESOLVER = host -> switch (host) {
        case "api.shop.example" ->
            List.of(InetAddress.getByName("203.0.113.10"), InetAddress.getByName("2001:db8:0:0:0:0:0:10"));
        case "idp.example.com" -> List.of(InetAddress.getByName("198.51.100.7"));
        case "rebound.example.com" -> List.of(InetAddress.getByName("169.254.169.254"));
        default -> throw new UnknownHostException(host);
    };

    static final ScanEventCodec EVENTS = new ScanEventCodec();

    KubernetesScanWorkloads workloads;

    @BeforeEach
    void workloads() {
        var defaults = KubernetesLauncherProperties.defaults();
        var fastPolling = new KubernetesLauncherProperties(
                defaults.images(),
                defaults.scanner(),
                defaults.quota(),
                defaults.dns(),
                defaults.runAsUser(),
                defaults.deadlineGrace(),
                defaults.ttlAfterFinished(),
                Duration.ofMillis(20),
                defaults.allowPrivateTargets());
        workloads = new KubernetesScanWorkloads(client, fastPolling, RESOLVER);
    }

    static ScanJob scan(ScannerKind kind, String image, String target) {
        return new ScanJob(
                SCAN_ID,
                ACME,
                kind,
                image,
                URI.create(target),
                "SAFE",
                20,
                5000,
                Duration.ofMinutes(30),
                SPEC,
                List.of(BEARER, OAUTH2),
                TRACEPARENT);
    }

    static ScanJob ventiScan() {
        return scan(ScannerKind.VENTI, null, "https://api.shop.example:8443/v1");
    }

    Job job() {
        return job(NAME);
    }

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    }

    Secret secret() {
        return secret(NAME);
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(NAMESPACE).withName(name).get();
    }

    NetworkPolicy scanPolicy() {
        return scanPolicy(NAME);
    }

    NetworkPolicy scanPolicy(String name) {
        return client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    // --- what a scan gets

    @Test
    void itsTenantNamespaceIsProvisionedFirst() {
        workloads.startOrAttach(ventiScan());

        assertThat(client.namespaces().withName(NAMESPACE).get()).isNotNull();
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(NAMESPACE)
                        .withName(TenantNamespaceProvisioner.DEFAULT_DENY)
                        .get())
                .isNotNull();
    }

    @Test
    void aNetworkPolicyLettingOnlyItsPodReachDnsAndItsTargetsAddressesOnTheirPorts() {
        workloads.startOrAttach(ventiScan());

        NetworkPolicy policy = scanPolicy();
        assertThat(policy.getMetadata().getLabels()).isEqualTo(SCAN_LABELS);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsOnly(Map.entry("venti.io/scan-id", SCAN_ID), Map.entry("venti.io/scanner", "venti"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(policy.getSpec().getIngress()).isNullOrEmpty();

        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
        assertThat(egress).hasSize(3);

        NetworkPolicyEgressRule dns = egress.get(0);
        assertThat(dns.getTo()).hasSize(1);
        NetworkPolicyPeer kubeDns = dns.getTo().getFirst();
        assertThat(kubeDns.getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
        assertThat(kubeDns.getPodSelector().getMatchLabels()).containsExactly(Map.entry("k8s-app", "kube-dns"));
        assertThat(kubeDns.getIpBlock()).isNull();
        assertThat(ports(dns)).containsExactlyInAnyOrder("UDP/53", "TCP/53");

        // the OAuth2 identity's token endpoint, on its own port only
        NetworkPolicyEgressRule tokenEndpoint = egress.get(1);
        assertThat(cidrs(tokenEndpoint)).containsExactly("198.51.100.7/32");
        assertThat(ports(tokenEndpoint)).containsExactly("TCP/443");

        NetworkPolicyEgressRule target = egress.get(2);
        assertThat(cidrs(target)).containsExactly("203.0.113.10/32", "2001:db8::10/128");
        assertThat(ports(target)).containsExactly("TCP/8443");
    }

    @Test
    void aSecretWithTheSpecAndTheEngineCommandLineIdentitiesIncluded() {
        workloads.startOrAttach(ventiScan());

        Secret secret = secret();
        assertThat(secret.getMetadata().getLabels()).isEqualTo(SCAN_LABELS);
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getData()).containsOnlyKeys("openapi.yaml", "engine.args");
        assertThat(decoded(secret, "openapi.yaml")).isEqualTo(SPEC);
        assertThat(decoded(secret, "engine.args"))
                .isEqualTo(EngineArguments.javaArgumentFile(List.of(
                        "-jar",
                        "/opt/venti/venti-scan.jar",
                        "--spec",
                        "/var/run/venti/scan/spec/openapi.yaml",
                        "--target",
                        "https://api.shop.example:8443/v1",
                        "--scan-id",
                        SCAN_ID,
                        "--time-box",
                        "PT30M",
                        "--rps",
                        "20",
                        "--profile",
                        "SAFE",
                        "--budget",
                        "5000",
                        "--identity",
                        BEARER,
                        "--identity",
                        OAUTH2,
                        // held to the addresses the network policy opens, should that ever fail
                        "--resolve",
                        "api.shop.example=203.0.113.10,2001:db8:0:0:0:0:0:10",
                        "--resolve",
                        "idp.example.com=198.51.100.7")));
    }

    @Test
    void theSecretAndPolicyAreOwnedByTheJobSoKubernetesDeletesThemWithIt() throws InterruptedException {
        requestsSinceLastCall();
        workloads.startOrAttach(ventiScan());

        // Created after the Job and owned by it in the one request: the Secret, which holds the
        // identities, never exists without an owner, whatever becomes of the runner.
        assertThat(requestsSinceLastCall())
                .filteredOn(request -> request.contains("/jobs") || request.contains("/secrets"))
                .filteredOn(request -> !request.startsWith("GET "))
                .containsExactly(
                        "POST /apis/batch/v1/namespaces/" + NAMESPACE + "/jobs",
                        "POST /api/v1/namespaces/" + NAMESPACE + "/secrets");

        Job job = job();
        for (var dependent : List.of(secret().getMetadata(), scanPolicy().getMetadata())) {
            assertThat(dependent.getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("Job");
                assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
                assertThat(owner.getName()).isEqualTo(NAME);
                assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
            });
        }
    }

    @Test
    void aJobThatRunsOnceWithinTheTimeBoxAndIsCleanedUpAfter() {
        workloads.startOrAttach(ventiScan());

        Job job = job();
        assertThat(job.getMetadata().getLabels()).isEqualTo(SCAN_LABELS);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        // 30 minutes of time box plus 2 minutes for the engine to stop itself and report
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(32 * 60L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(SCAN_LABELS);
    }

    @Test
    void aPodThatRunsAsNonRootWithNothingToEscalateWithAndNoToken() {
        workloads.startOrAttach(ventiScan());

        PodSpec pod = job().getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        assertThat(pod.getContainers()).hasSize(1);
        Container scanner = pod.getContainers().getFirst();
        assertThat(scanner.getName()).isEqualTo("scanner");
        assertThat(scanner.getImage()).isEqualTo("ghcr.io/ventiapi/venti-scan:0.1.0");
        var security = scanner.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(scanner.getResources().getRequests())
                .containsOnly(Map.entry("cpu", new Quantity("250m")), Map.entry("memory", new Quantity("256Mi")));
        assertThat(scanner.getResources().getLimits())
                .containsOnly(Map.entry("cpu", new Quantity("1")), Map.entry("memory", new Quantity("768Mi")));
        assertThat(scanner.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }

    @Test
    void aWritableTmpAndTheSecretMountedReadOnlyAndTheTraceparent() {
        workloads.startOrAttach(ventiScan());

        PodSpec pod = job().getSpec().getTemplate().getSpec();
        Container scanner = pod.getContainers().getFirst();
        assertThat(scanner.getVolumeMounts())
                .extracting(mount -> mount.getName() + " " + mount.getMountPath() + " " + mount.getReadOnly())
                .containsExactlyInAnyOrder("tmp /tmp null", "scan /var/run/venti/scan true");
        Volume tmp = volume(pod, "tmp");
        assertThat(tmp.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("256Mi"));
        Volume scan = volume(pod, "scan");
        assertThat(scan.getSecret().getSecretName()).isEqualTo(NAME);
        assertThat(scan.getSecret().getDefaultMode()).isEqualTo(0440); // the scanner's group reads, no one writes
        assertThat(scan.getSecret().getItems())
                .extracting(item -> item.getKey() + " -> " + item.getPath())
                .containsExactlyInAnyOrder("openapi.yaml -> spec/openapi.yaml", "engine.args -> engine.args");
        assertThat(scanner.getEnv()).containsExactly(new EnvVar("TRACEPARENT", TRACEPARENT, null));
        assertThat(scanner.getCommand()).containsExactly("java");
        assertThat(scanner.getArgs()).last().isEqualTo("@/var/run/venti/scan/engine.args");
    }

    @Test
    void noCredentialAppearsInTheJobOrItsPolicy() {
        workloads.startOrAttach(ventiScan());

        String job = client.getKubernetesSerialization().asJson(job());
        String policy = client.getKubernetesSerialization().asJson(scanPolicy());
        for (String credential : List.of("s3cr3t-token", "s3cret", "client-secret", "token=")) {
            assertThat(job).doesNotContain(credential);
            assertThat(policy).doesNotContain(credential);
        }
    }

    @Test
    void zapRunsItsApiScanAsItsOwnUserWithScratchDirectoriesAndPrintsTheJsonReport() {
        workloads.startOrAttach(scan(ScannerKind.ZAP, null, "http://api.shop.example"));

        PodSpec pod = job(NAME + "-zap").getSpec().getTemplate().getSpec();
        Container zap = pod.getContainers().getFirst();
        assertThat(zap.getImage()).isEqualTo("ghcr.io/zaproxy/zaproxy:stable");
        assertThat(zap.getCommand()).containsExactly("sh", "-c", KubernetesScanManifests.ZAP_SCRIPT);
        assertThat(KubernetesScanManifests.ZAP_SCRIPT)
                .contains("zap-api-scan.py -t /zap/wrk/openapi.yaml -f openapi", "-J report.json")
                .contains("cat /zap/wrk/report.json")
                .contains(
                        "echo '" + io.ventiapi.runner.importer.ScannerReport.BEGIN + "'",
                        "echo '" + io.ventiapi.runner.importer.ScannerReport.END + "'");
        assertThat(zap.getArgs()).isNullOrEmpty();
        assertThat(zap.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(zap.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(zap.getEnv())
                .contains(new EnvVar("VENTI_TARGET", "http://api.shop.example", null))
                .contains(new EnvVar("TRACEPARENT", TRACEPARENT, null))
                // its active scan ends within the 30-minute time box, so it still writes its report
                .contains(new EnvVar("VENTI_ZAP_MINUTES", "28", null));
        assertThat(KubernetesScanManifests.ZAP_SCRIPT)
                .contains("-z \"-config scanner.maxScanDurationInMins=$VENTI_ZAP_MINUTES\"");
        assertThat(zap.getVolumeMounts())
                .extracting(mount -> mount.getMountPath())
                .contains("/tmp", "/var/run/venti/scan", "/zap/wrk", "/home/zap/.ZAP");
        assertThat(volume(pod, "zap-wrk").getEmptyDir()).isNotNull();
        assertThat(secret(NAME + "-zap").getData()).containsOnlyKeys("openapi.yaml");
        assertThat(scanPolicy(NAME + "-zap").getSpec().getEgress())
                .filteredOn(rule -> rule.getTo().getFirst().getIpBlock() != null)
                .extracting(rule -> cidrs(rule) + " " + ports(rule))
                .containsExactly("[203.0.113.10/32, 2001:db8::10/128] [TCP/80]", "[198.51.100.7/32] [TCP/443]");
    }

    @Test
    void aCustomScannerRunsItsImageWithTheSpecAndIdentitiesAsFiles() {
        workloads.startOrAttach(
                scan(ScannerKind.CUSTOM, "registry.example.com/acme/scanner:2", "https://api.shop.example"));

        Container custom = job(NAME + "-custom")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst();
        assertThat(custom.getImage()).isEqualTo("registry.example.com/acme/scanner:2");
        assertThat(custom.getCommand()).isNullOrEmpty();
        assertThat(custom.getArgs()).isNullOrEmpty();
        assertThat(custom.getSecurityContext().getRunAsUser()).isNull(); // the pod's: 10001
        assertThat(custom.getEnv())
                .contains(
                        new EnvVar("VENTI_SPEC_FILE", "/var/run/venti/scan/spec/openapi.yaml", null),
                        new EnvVar("VENTI_IDENTITIES_FILE", "/var/run/venti/scan/identities", null));
        assertThat(decoded(secret(NAME + "-custom"), "identities")).isEqualTo(BEARER + "\n" + OAUTH2);
    }

    @Test
    void aTargetThatDoesNotResolveFailsTheScanWithoutAJob() {
        RunningScan scan = workloads.startOrAttach(scan(ScannerKind.VENTI, null, "https://nowhere.invalid"));

        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("nowhere.invalid: scanners do not connect to it (it must resolve"
                        + " to a public address; link-local and cloud metadata addresses are refused, loopback and"
                        + " private ones unless allowed)"));
        assertThat(job()).isNull();
        assertThat(secret()).isNull();
    }

    @Test
    void aTargetThatNowResolvesToCloudMetadataGetsNoJob() {
        RunningScan scan = workloads.startOrAttach(scan(ScannerKind.VENTI, null, "http://rebound.example.com"));

        // The user learns the name is refused, not where it points: that maps the runner's DNS.
        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("rebound.example.com: scanners do not connect to it (it must"
                        + " resolve to a public address; link-local and cloud metadata addresses are refused,"
                        + " loopback and private ones unless allowed)"));
        assertThat(job()).isNull();
        assertThat(scanPolicy()).isNull();
    }

    @Test
    void aTargetOnOneOfTheClustersNodesGetsNoJob() {
        // A node whose public address the target's name resolves to (bare metal, say).
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("worker-1")
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress()
                        .withType("Hostname")
                        .withAddress("worker-1")
                        .endAddress()
                        .addNewAddress()
                        .withType("ExternalIP")
                        .withAddress("203.0.113.10")
                        .endAddress()
                        .endStatus()
                        .build())
                .create();

        RunningScan scan = workloads.startOrAttach(scan(ScannerKind.VENTI, null, "http://api.shop.example"));

        assertThat(scan.outcome()).isInstanceOf(WorkloadOutcome.Failed.class);
        assertThat(((WorkloadOutcome.Failed) scan.outcome()).reason())
                .startsWith("api.shop.example: scanners do not connect to it");
        assertThat(job()).isNull();
        assertThat(scanPolicy()).isNull();
    }

    // --- attach, cancel, close

    @Test
    void eachScannerOfAScanGetsItsOwnJobAndIsAttachedToByItsKind() {
        workloads.startOrAttach(ventiScan());
        workloads.startOrAttach(scan(ScannerKind.ZAP, null, "http://api.shop.example"));

        assertThat(job().getSpec().getTemplate().getMetadata().getLabels()).containsEntry("venti.io/scanner", "venti");
        assertThat(job(NAME + "-zap").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("venti.io/scan-id", SCAN_ID)
                .containsEntry("venti.io/scanner", "zap");
        assertThat(client.secrets()
                        .inNamespace(NAMESPACE)
                        .withName(NAME + "-zap")
                        .get())
                .isNotNull();
        var attached =
                (KubernetesRunningScan) workloads.startOrAttach(scan(ScannerKind.ZAP, null, "http://api.shop.example"));
        assertThat(attached.jobName()).isEqualTo(NAME + "-zap");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
                .hasSize(2);
    }

    @Test
    void aSecondRunnerAttachesToTheExistingJobInsteadOfStartingAnother() throws InterruptedException {
        workloads.startOrAttach(ventiScan());
        String uid = job().getMetadata().getUid();
        requestsSinceLastCall();

        var attached = (KubernetesRunningScan) workloads.startOrAttach(ventiScan());

        assertThat(attached.jobName()).isEqualTo(NAME);
        // found by its label: no attempt to create a Job, nor to rewrite its Secret and policy
        assertThat(requestsSinceLastCall())
                .contains("GET /apis/batch/v1/namespaces/" + NAMESPACE + "/jobs?labelSelector=venti.io%2Fscan-id%3D"
                        + SCAN_ID + "%2Cventi.io%2Fscanner%3Dventi")
                .noneMatch(request -> request.startsWith("POST /apis/batch/v1/"))
                .noneMatch(request -> request.contains("/secrets") && !request.startsWith("GET "))
                .noneMatch(request -> request.contains("/networkpolicies/" + NAME));
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
                .singleElement()
                .satisfies(job -> assertThat(job.getMetadata().getUid()).isEqualTo(uid));
    }

    @Test
    void aJobWhoseRunnerStoppedBeforeCreatingItsSecretGetsItsSecretAndPolicyWhenAttachedTo() {
        workloads.startOrAttach(ventiScan());
        String uid = job().getMetadata().getUid();
        // As if the runner died between creating the Job and its Secret: its pod waits for the Secret.
        client.secrets().inNamespace(NAMESPACE).withName(NAME).delete();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NAMESPACE)
                .withName(NAME)
                .delete();

        var attached = (KubernetesRunningScan) workloads.startOrAttach(ventiScan());

        assertThat(attached.jobName()).isEqualTo(NAME);
        assertThat(job().getMetadata().getUid()).isEqualTo(uid);
        for (var dependent : List.of(secret().getMetadata(), scanPolicy().getMetadata())) {
            assertThat(dependent.getOwnerReferences())
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(uid));
        }
        assertThat(decoded(secret(), "openapi.yaml")).isEqualTo(SPEC);
        assertThat(decoded(secret(), "engine.args")).contains("s3cr3t-token");
    }

    // --- a start that fails half-way leaves nothing behind

    /** An admission webhook, a quota: whatever refuses the Job (the client retries server errors). */
    @Test
    void aJobTheApiServerRefusesLeavesNoSecretNorPolicyOfTheScanBehind() {
        server.expect()
                .post()
                .withPath("/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs")
                .andReturn(403, "admission webhook \"policy.internal.example\" denied the request")
                .once();

        assertThatThrownBy(() -> workloads.startOrAttach(ventiScan())).isInstanceOf(KubernetesClientException.class);

        assertThat(labelledWithTheScan()).isEmpty();
    }

    /** The Job was created: it must not run a scan that nobody follows while the scan fails. */
    @Test
    void aSecretTheApiServerRefusesDeletesTheJobAndThePolicy() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets")
                .andReturn(403, "secrets \"" + NAME + "\" is forbidden: exceeded quota: venti-quota")
                .once();

        assertThatThrownBy(() -> workloads.startOrAttach(ventiScan())).isInstanceOf(KubernetesClientException.class);

        assertThat(labelledWithTheScan()).isEmpty();
    }

    /** The Jobs, Secrets and NetworkPolicies carrying the scan's label, as {@code Kind/name}. */
    List<String> labelledWithTheScan() {
        List<String> found = new ArrayList<>();
        client.batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel("venti.io/scan-id", SCAN_ID)
                .list()
                .getItems()
                .forEach(job -> found.add("Job/" + job.getMetadata().getName()));
        client.secrets()
                .inNamespace(NAMESPACE)
                .withLabel("venti.io/scan-id", SCAN_ID)
                .list()
                .getItems()
                .forEach(secret -> found.add("Secret/" + secret.getMetadata().getName()));
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NAMESPACE)
                .withLabel("venti.io/scan-id", SCAN_ID)
                .list()
                .getItems()
                .forEach(policy ->
                        found.add("NetworkPolicy/" + policy.getMetadata().getName()));
        return found;
    }

    @Test
    void cancelDeletesTheJobAndTheScanEndsCancelled() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());

        scan.cancel();
        scan.follow(line -> {});

        assertThat(job()).isNull();
        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Cancelled());
    }

    @Test
    void stopIfRunningDeletesEveryScannersJobSecretAndPolicyOfTheScanAndStartsNothing() throws InterruptedException {
        workloads.startOrAttach(ventiScan());
        workloads.startOrAttach(scan(ScannerKind.ZAP, null, "http://api.shop.example"));
        requestsSinceLastCall();

        workloads.stopIfRunning(ACME, SCAN_ID);

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
                .isEmpty();
        assertThat(secret()).isNull();
        assertThat(secret(NAME + "-zap")).isNull();
        assertThat(scanPolicy()).isNull();
        assertThat(scanPolicy(NAME + "-zap")).isNull();
        assertThat(requestsSinceLastCall()).noneMatch(request -> request.startsWith("POST "));
    }

    @Test
    void stopIfRunningDeletesTheSecretOfAScanWhoseJobWasNeverCreated() {
        workloads.startOrAttach(ventiScan());
        // As if the runner died between creating the Secret, which holds the identities, and the Job.
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(NAME).delete();
        assertThat(secret()).isNotNull();

        workloads.stopIfRunning(ACME, SCAN_ID);

        assertThat(secret()).isNull();
        assertThat(scanPolicy()).isNull();
    }

    @Test
    void stopIfRunningWithoutAJobCreatesNothing() {
        workloads.stopIfRunning(ACME, SCAN_ID);

        assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems())
                .isEmpty();
        assertThat(client.namespaces().withName(NAMESPACE).get()).isNull();
    }

    @Test
    void closeDeletesTheJobItsSecretAndItsPolicyButNotTheNamespaceGuardrails() {
        RunningScan scan = workloads.startOrAttach(ventiScan());

        scan.close();

        assertThat(job()).isNull();
        assertThat(secret()).isNull();
        assertThat(scanPolicy()).isNull();
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(NAMESPACE)
                        .withName(TenantNamespaceProvisioner.DEFAULT_DENY)
                        .get())
                .isNotNull();
    }

    // --- how a scan ended, and its log

    @Test
    void aCompleteJobSucceeded() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        jobEnded("Complete", null, null);

        scan.follow(line -> {});

        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
    }

    @Test
    void aJobPastItsDeadlineTimedOut() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        jobEnded("Failed", "DeadlineExceeded", "Job was active longer than specified deadline");

        scan.follow(line -> {});

        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.TimedOut());
    }

    @Test
    void aFailedJobFailedWithWhatTheScannerSaidAndWhatKubernetesSaid() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerPod(new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(4)
                .withMessage("{\"v\":1,\"type\":\"scan.started\"}\n"
                        + "cannot reach https://api.shop.example:8443/v1: connection refused\n")
                .endTerminated()
                .build());
        jobEnded("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        server.expect().get().withPath(logPath()).andReturn(200, "").once();

        scan.follow(line -> {});

        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("the scanner exited with code 4: cannot reach"
                        + " https://api.shop.example:8443/v1: connection refused"
                        + " (BackoffLimitExceeded: Job has reached the specified backoff limit)"));
    }

    @Test
    void aFailedScannerQuotingItsTokenFailsWithoutItWhereverTheReasonGoes() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerPod(new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(1)
                .withMessage("GET /v1/orders with Authorization: Bearer s3cr3t-token answered 500\n")
                .endTerminated()
                .build());
        jobEnded("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        server.expect().get().withPath(logPath()).andReturn(200, "").once();

        scan.follow(line -> {});

        // The outcome the runner logs and publishes: the job's own token is out of it.
        assertThat(scan.outcome())
                .isInstanceOfSatisfying(
                        WorkloadOutcome.Failed.class,
                        failed -> assertThat(failed.reason())
                                .startsWith("the scanner exited with code 1: GET /v1/orders")
                                .doesNotContain("s3cr3t-token"));
    }

    @Test
    void anImageThatCannotBePulledFailsAtOnceAndItsJobIsDeleted() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerPod(new ContainerStateBuilder()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"ghcr.io/ventiapi/venti-scan:0.1.0\"")
                .endWaiting()
                .build());

        scan.follow(line -> {});

        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("the scanner container cannot start: ImagePullBackOff:"
                        + " Back-off pulling image \"ghcr.io/ventiapi/venti-scan:0.1.0\""));
        assertThat(job()).isNull();
    }

    @Test
    void theScannersLogReachesTheConsumerLineByLine() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerExitedAndJobCompleted();
        // the CRUD mock serves no logs: an expectation answers the follow request instead
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(
                        200,
                        "{\"v\":1,\"type\":\"scan.started\",\"seq\":0}\n{\"v\":1,\"type\":\"scan.finished\",\"seq\":1}\n")
                .once();

        List<String> lines = new ArrayList<>();
        scan.follow(lines::add);

        assertThat(lines)
                .containsExactly(
                        "{\"v\":1,\"type\":\"scan.started\",\"seq\":0}",
                        "{\"v\":1,\"type\":\"scan.finished\",\"seq\":1}");
        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
    }

    /** A scanner's line without end must not be buffered whole by the runner, nor read again and again. */
    @Test
    void aLineLongerThanTheBoundFailsTheScanAfterTheLinesBeforeIt() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerExitedAndJobCompleted();
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(
                        200,
                        "{\"v\":1,\"type\":\"scan.started\",\"seq\":0}\n"
                                + "x".repeat(BoundedLineReader.MAX_LINE_BYTES + 1)
                                + "\n{\"v\":1,\"type\":\"scan.finished\",\"seq\":1}\n")
                .once();

        List<String> lines = new ArrayList<>();
        scan.follow(lines::add);

        assertThat(lines).containsExactly("{\"v\":1,\"type\":\"scan.started\",\"seq\":0}");
        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("the scanner printed a line longer than 1 MiB"));
        scan.close();
        assertThat(job()).isNull();
    }

    @Test
    void aLogStreamThatBreaksOffIsReadAgainFromTheStart() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerExitedAndJobCompleted();
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(500, "API server restarting")
                .once();
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(200, "{\"v\":1,\"type\":\"scan.started\",\"seq\":0}\n")
                .once();

        List<String> lines = new ArrayList<>();
        scan.follow(lines::add);

        assertThat(lines).containsExactly("{\"v\":1,\"type\":\"scan.started\",\"seq\":0}");
        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
    }

    @Test
    void anEngineLogThatNoLongerHoldsItsFirstEventsFailsTheScanInsteadOfEndingItShort() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerExitedAndJobCompleted();
        // What a runner taking the scan over reads once the node rotated the log's first 10 MiB away.
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(200, progress(57) + "\n" + finished(58) + "\n")
                .once();

        List<String> lines = new ArrayList<>();
        scan.follow(lines::add);

        assertThat(lines).as("nothing of an incomplete scan is passed on").isEmpty();
        assertThat(scan.outcome())
                .isEqualTo(new WorkloadOutcome.Failed("the scanner's log no longer held events 0 to 56 when it was"
                        + " read (the node rotated it): the scan's results would be incomplete"));
    }

    @Test
    void aLogThatEndsWhileTheScannerStillRunsIsReadAgain() throws InterruptedException {
        RunningScan scan = workloads.startOrAttach(ventiScan());
        scannerPod(new ContainerStateBuilder().withNewRunning().endRunning().build());
        // An idle connection closed: the stream ends cleanly, the scanner goes on.
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(200, progress(0) + "\n")
                .once();
        server.expect()
                .get()
                .withPath(logPath())
                .andReturn(200, progress(0) + "\n" + finished(1) + "\n")
                .once();

        List<String> lines = new CopyOnWriteArrayList<>();
        var following = Thread.ofVirtual().start(() -> {
            try {
                scan.follow(line -> {
                    lines.add(line);
                    if (line.equals(finished(1))) {
                        scannerEnded(0);
                        jobEnded("Complete", null, null);
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // Not read again, the scan would wait for a Job that never ends: do not wait with it.
        assertThat(following.join(Duration.ofSeconds(30)))
                .as("followed to its end")
                .isTrue();
        // Read from its first line again, the events passed on already are not passed on twice.
        assertThat(lines).containsExactly(progress(0), finished(1));
        assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
    }

    static String progress(long seq) {
        return EVENTS.toLine(new ScanEvent.Progress(SCAN_ID, seq, Instant.EPOCH, "checks", 900, 10, 12, 3));
    }

    static String finished(long seq) {
        return EVENTS.toLine(new ScanEvent.ScanFinished(
                SCAN_ID, seq, Instant.EPOCH, ScanEvent.ScanOutcome.COMPLETED, null, 1000, 60_000, Map.of()));
    }

    /** Plays the kubelet and the Job controller: the scanner exited with 0, and the Job is complete. */
    void scannerExitedAndJobCompleted() {
        scannerPod(new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(0)
                .endTerminated()
                .build());
        jobEnded("Complete", null, null);
    }

    /** Plays the Job controller: the scan's pod, with its scanner container in {@code state}. */
    void scannerPod(ContainerState state) {
        var pod = client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(NAME + "-x7k2p")
                        .withLabels(SCAN_LABELS)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("scanner")
                        .withImage("ghcr.io/ventiapi/venti-scan:0.1.0")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(state.getTerminated() != null ? "Failed" : "Pending")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("scanner")
                        .withState(state)
                        .build())
                .build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    /** Plays the kubelet: the scan's scanner container exited with {@code code}. */
    void scannerEnded(int code) {
        client.pods().inNamespace(NAMESPACE).withName(NAME + "-x7k2p").editStatus(pod -> {
            pod.getStatus()
                    .getContainerStatuses()
                    .getFirst()
                    .setState(new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(code)
                            .endTerminated()
                            .build());
            return pod;
        });
    }

    /** Plays the Job controller: the Job's terminal condition, through the status subresource. */
    void jobEnded(String type, String reason, String message) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(NAME).editStatus(job -> {
            job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                    .addToConditions(new JobConditionBuilder()
                            .withType(type)
                            .withStatus("True")
                            .withReason(reason)
                            .withMessage(message)
                            .build())
                    .build());
            return job;
        });
    }

    /** The requests the mock server received since the last call, as {@code METHOD path}. */
    List<String> requestsSinceLastCall() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        for (var request = server.takeRequest(10, TimeUnit.MILLISECONDS);
                request != null;
                request = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            requests.add(request.getMethod() + " " + request.getPath());
        }
        return requests;
    }

    static String logPath() {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + NAME
                + "-x7k2p/log?pretty=false&container=scanner&follow=true";
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(volume -> name.equals(volume.getName()))
                .findFirst()
                .orElseThrow();
    }

    static List<String> cidrs(NetworkPolicyEgressRule rule) {
        return rule.getTo().stream().map(peer -> peer.getIpBlock().getCidr()).toList();
    }

    static List<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(KubernetesScanWorkloadsTest::port).toList();
    }

    static String port(NetworkPolicyPort port) {
        IntOrString number = port.getPort();
        return port.getProtocol() + "/" + number.getIntVal();
    }
}
