package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.importer.ScannerReport;
import io.ventiapi.runner.launch.EgressDestination;
import io.ventiapi.runner.launch.EngineArguments;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects of one scan: its NetworkPolicy, its Secret and its Job (built from {@code
 * k8s/scan-job.yaml}). Pure: creates nothing in the cluster.
 */
final class KubernetesScanManifests {

    static final String TEMPLATE = "/k8s/scan-job.yaml";
    static final String CONTAINER = "scanner";
    /** Where the scan's Secret is mounted in the scanner container. */
    static final String SECRET_MOUNT = "/var/run/venti/scan";

    static final String SPEC_KEY = "openapi.yaml";
    static final String SPEC_FILE = SECRET_MOUNT + "/spec/" + SPEC_KEY;
    static final String ENGINE_ARGS_KEY = "engine.args";
    static final String IDENTITIES_KEY = "identities";
    /** Where the engine image keeps its jar ({@code scan-engine/Dockerfile}). */
    static final String ENGINE_JAR = "/opt/venti/venti-scan.jar";

    /** The {@code zap} user of the ZAP image: ZAP keeps its home and work directories there. */
    static final long ZAP_USER = 1000;

    /** ZAP writes its home and its reports: emptyDirs there, so the root filesystem stays read-only. */
    private static final List<ScratchDirectory> ZAP_SCRATCH =
            List.of(new ScratchDirectory("zap-wrk", "/zap/wrk"), new ScratchDirectory("zap-home", "/home/zap/.ZAP"));

    /**
     * Runs ZAP's API scan with its own output on stderr, then prints the JSON report between the
     * lines {@link ScannerReport#BEGIN} and {@link ScannerReport#END}: the pod's log, which the
     * runner reads, holds stderr too, and the runner reads only what lies between them. ZAP exits 1
     * or 2 when it found something: that is a finished scan, not a failure. Its active scan stops
     * after {@code VENTI_ZAP_MINUTES} ({@link ScannerReport#zapActiveScanMinutes}), so that it
     * reports what it found before the Job's deadline ends it with nothing.
     */
    static final String ZAP_SCRIPT = """
            cp %s /zap/wrk/openapi.yaml || exit 3
            zap-api-scan.py -t /zap/wrk/openapi.yaml -f openapi -O "$VENTI_TARGET" -J report.json \\
              -z "-config scanner.maxScanDurationInMins=$VENTI_ZAP_MINUTES" >&2
            status=$?
            if [ "$status" -gt 2 ]; then exit "$status"; fi
            echo '%s'
            cat /zap/wrk/report.json || exit 3
            echo
            echo '%s'
            """.formatted(SPEC_FILE, ScannerReport.BEGIN, ScannerReport.END);

    private record ScratchDirectory(String volume, String mountPath) {}

    // Job and Secret names are DNS labels of at most 63 characters: a prefix, the id, the scanner.
    private static final Pattern SCAN_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?");

    private final KubernetesLauncherProperties properties;
    private final Job template;

    KubernetesScanManifests(KubernetesClient client, KubernetesLauncherProperties properties) {
        this.properties = properties;
        try (InputStream yaml = KubernetesScanManifests.class.getResourceAsStream(TEMPLATE)) {
            if (yaml == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the classpath");
            }
            this.template = client.batch().v1().jobs().load(yaml).item();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The name of the Job, Secret and NetworkPolicy of one scanner of a scan: {@code
     * venti-scan-<id>} for our engine, {@code venti-scan-<id>-zap} or {@code -custom} for the others.
     */
    static String workloadName(ScanJob job) {
        if (!SCAN_ID.matcher(job.scanId()).matches()) {
            throw new IllegalArgumentException(
                    "a scan id must be 1-45 lower-case letters, digits or inner hyphens, got '" + job.scanId() + "'");
        }
        return "venti-scan-" + job.scanId() + (job.kind() == ScannerKind.VENTI ? "" : "-" + VentiLabels.kind(job));
    }

    /**
     * Lets the scan's pod (and no other) send DNS queries to the cluster DNS and connect to {@code
     * destinations}, each address on its own port only. The namespace's default-deny policy refuses
     * everything else.
     */
    NetworkPolicy networkPolicy(ScanJob job, String namespace, List<EgressDestination> destinations) {
        var dns = properties.dns();
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(new NetworkPolicyEgressRuleBuilder()
                .addNewTo()
                .withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", dns.namespace())
                .endNamespaceSelector()
                .withNewPodSelector()
                .addToMatchLabels(dns.podLabels())
                .endPodSelector()
                .endTo()
                .addNewPort()
                .withProtocol("UDP")
                .withPort(new IntOrString(53))
                .endPort()
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(53))
                .endPort()
                .build());
        // One rule per port: a rule allows each of its peers on each of its ports.
        Map<Integer, List<NetworkPolicyPeer>> peersByPort = new TreeMap<>();
        for (EgressDestination destination : destinations) {
            peersByPort
                    .computeIfAbsent(destination.port(), port -> new ArrayList<>())
                    .add(new NetworkPolicyPeerBuilder()
                            .withNewIpBlock()
                            .withCidr(destination.cidr())
                            .endIpBlock()
                            .build());
        }
        peersByPort.forEach((port, peers) -> egress.add(new NetworkPolicyEgressRuleBuilder()
                .withTo(peers)
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .endPort()
                .build()));
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(workloadName(job))
                .withNamespace(namespace)
                .withLabels(VentiLabels.scan(job))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(VentiLabels.workload(job))
                .endPodSelector()
                .withPolicyTypes("Egress")
                .withEgress(egress)
                .endSpec()
                .build();
    }

    /**
     * The spec document and, for the engine, its whole command line, identities included, held to
     * the addresses of {@code destinations} (belt and braces with the network policy).
     */
    Secret secret(ScanJob job, String namespace, List<EgressDestination> destinations) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(SPEC_KEY, job.specDocument());
        switch (job.kind()) {
            case VENTI ->
                files.put(
                        ENGINE_ARGS_KEY,
                        EngineArguments.javaArgumentFile(engineArguments(job, ScanEgressPlanner.pins(destinations))));
            case CUSTOM -> files.put(IDENTITIES_KEY, String.join("\n", job.identities()));
            case ZAP -> {} // zap-api-scan.py takes no identities here: it scans as an anonymous client
        }
        Map<String, String> data = new LinkedHashMap<>();
        files.forEach((key, content) ->
                data.put(key, Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(workloadName(job))
                .withNamespace(namespace)
                .withLabels(VentiLabels.scan(job))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** The engine's command line after {@code java}: see {@code docs/engine/cli.md}. */
    static List<String> engineArguments(ScanJob job, Map<String, List<InetAddress>> pins) {
        var arguments = new ArrayList<>(List.of("-jar", ENGINE_JAR));
        arguments.addAll(EngineArguments.of(job, SPEC_FILE, pins));
        return arguments;
    }

    /** The scan's Job: the template with this scan's names, labels, image, limits and deadline. */
    Job job(ScanJob job, String namespace) {
        String name = workloadName(job);
        Map<String, String> labels = VentiLabels.scan(job);
        var templateSpec = template.getSpec().getTemplate().getSpec();
        List<Volume> volumes = new ArrayList<>();
        for (Volume volume : templateSpec.getVolumes()) {
            volumes.add("scan".equals(volume.getName()) ? secretVolume(volume, name, job) : volume);
        }
        if (job.kind() == ScannerKind.ZAP) {
            for (ScratchDirectory scratch : ZAP_SCRATCH) {
                volumes.add(new VolumeBuilder()
                        .withName(scratch.volume())
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build());
            }
        }
        Container container = container(job, templateSpec.getContainers().getFirst());
        return new JobBuilder(template)
                .editMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(labels)
                .endMetadata()
                .editSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(
                        job.timeBox().plus(properties.deadlineGrace()).toSeconds())
                .withTtlSecondsAfterFinished(
                        Math.toIntExact(properties.ttlAfterFinished().toSeconds()))
                .editTemplate()
                .editMetadata()
                .addToLabels(labels)
                .endMetadata()
                .editSpec()
                .editSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(properties.runAsUser())
                .withRunAsGroup(properties.runAsUser())
                .withFsGroup(properties.runAsUser())
                .endSecurityContext()
                .withContainers(container)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Volume secretVolume(Volume templateVolume, String secretName, ScanJob job) {
        List<KeyToPath> items = new ArrayList<>();
        items.add(keyToPath(SPEC_KEY, "spec/" + SPEC_KEY));
        switch (job.kind()) {
            case VENTI -> items.add(keyToPath(ENGINE_ARGS_KEY, ENGINE_ARGS_KEY));
            case CUSTOM -> items.add(keyToPath(IDENTITIES_KEY, IDENTITIES_KEY));
            case ZAP -> {}
        }
        return new VolumeBuilder(templateVolume)
                .editSecret()
                .withSecretName(secretName)
                .withItems(items)
                .endSecret()
                .build();
    }

    private static KeyToPath keyToPath(String key, String path) {
        return new KeyToPathBuilder().withKey(key).withPath(path).build();
    }

    private Container container(ScanJob job, Container templateContainer) {
        List<EnvVar> env = new ArrayList<>();
        if (job.traceparent() != null && !job.traceparent().isBlank()) {
            env.add(new EnvVar("TRACEPARENT", job.traceparent(), null));
        }
        ContainerBuilder container = new ContainerBuilder(templateContainer).withResources(resources());
        switch (job.kind()) {
            case VENTI -> container.withImage(properties.images().venti());
            case ZAP -> {
                env.add(new EnvVar("VENTI_TARGET", job.target().toString(), null));
                env.add(new EnvVar(
                        "VENTI_ZAP_MINUTES", String.valueOf(ScannerReport.zapActiveScanMinutes(job.timeBox())), null));
                for (ScratchDirectory scratch : ZAP_SCRATCH) {
                    container.addToVolumeMounts(new VolumeMountBuilder()
                            .withName(scratch.volume())
                            .withMountPath(scratch.mountPath())
                            .build());
                }
                container
                        .withImage(properties.images().zap())
                        .withCommand("sh", "-c", ZAP_SCRIPT)
                        .withArgs()
                        .editSecurityContext()
                        .withRunAsUser(ZAP_USER)
                        .withRunAsGroup(ZAP_USER)
                        .endSecurityContext();
            }
            case CUSTOM -> {
                if (job.image() == null || job.image().isBlank()) {
                    throw new IllegalArgumentException("a CUSTOM scan needs an image: " + job);
                }
                env.add(new EnvVar("VENTI_TARGET", job.target().toString(), null));
                env.add(new EnvVar("VENTI_SCAN_ID", job.scanId(), null));
                env.add(new EnvVar("VENTI_SPEC_FILE", SPEC_FILE, null));
                env.add(new EnvVar("VENTI_IDENTITIES_FILE", SECRET_MOUNT + "/" + IDENTITIES_KEY, null));
                // the image's own entrypoint runs; its contract is to print SARIF 2.1.0 on stdout
                container.withImage(job.image()).withCommand().withArgs();
            }
        }
        return container.addAllToEnv(env).build();
    }

    private ResourceRequirements resources() {
        var scanner = properties.scanner();
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(scanner.cpuRequest()))
                .addToRequests("memory", new Quantity(scanner.memoryRequest()))
                .addToLimits("cpu", new Quantity(scanner.cpuLimit()))
                .addToLimits("memory", new Quantity(scanner.memoryLimit()))
                .build();
    }
}
