package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.ventiapi.tenancy.TenantId;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates a tenant's namespace ({@code venti-t-<tenant>}) with its guardrails, or brings them back
 * to the configured state: a ResourceQuota, a LimitRange with default requests and limits, and a
 * NetworkPolicy that denies all ingress and egress to every pod (each scan then opens egress to DNS
 * and its own target only). Idempotent, so the launcher calls it before every scan.
 */
public final class TenantNamespaceProvisioner {

    static final String QUOTA = "venti-scan-quota";
    static final String LIMITS = "venti-scan-limits";
    static final String DEFAULT_DENY = "venti-default-deny";

    /** Pod Security Admission refuses any pod in the namespace that is not "restricted". */
    static final Map<String, String> POD_SECURITY = Map.of(
            "pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "latest");

    private final KubernetesClient client;
    private final KubernetesLauncherProperties properties;

    public TenantNamespaceProvisioner(KubernetesClient client, KubernetesLauncherProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    /** Provisions {@code tenant}'s namespace and returns its name. */
    public String provision(TenantId tenant) {
        String namespace = tenant.namespace();
        Map<String, String> labels = VentiLabels.tenant(tenant);
        applyNamespace(namespace, labels);
        apply(resourceQuota(namespace, labels));
        apply(limitRange(namespace, labels));
        apply(defaultDeny(namespace, labels));
        return namespace;
    }

    /**
     * Adds our labels to the namespace instead of replacing it: labels and annotations that
     * cluster operators put on tenant namespaces (cost centres, policies) survive.
     */
    private void applyNamespace(String name, Map<String, String> labels) {
        Map<String, String> wanted = new HashMap<>(labels);
        wanted.putAll(POD_SECURITY);
        var resource = client.namespaces().withName(name);
        if (resource.get() == null) {
            try {
                resource.create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(wanted)
                        .endMetadata()
                        .build());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // another runner created it a moment ago: fall through and add our labels
            }
        }
        resource.edit((Namespace existing) -> new NamespaceBuilder(existing)
                .editMetadata()
                .addToLabels(wanted)
                .endMetadata()
                .build());
    }

    /** The guardrails inside the namespace are ours alone: replace them with the wanted state. */
    private void apply(HasMetadata resource) {
        client.resource(resource).createOr(NonDeletingOperation::update);
    }

    private ResourceQuota resourceQuota(String namespace, Map<String, String> labels) {
        var quota = properties.quota();
        return new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(QUOTA)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addToHard("pods", new Quantity(Integer.toString(quota.pods())))
                .addToHard("limits.cpu", new Quantity(quota.cpu()))
                .addToHard("limits.memory", new Quantity(quota.memory()))
                .endSpec()
                .build();
    }

    /**
     * Fills in requests and limits for any container that names none (the quota refuses pods
     * without limits) and caps what a container may ask for.
     */
    private LimitRange limitRange(String namespace, Map<String, String> labels) {
        var scanner = properties.scanner();
        return new LimitRangeBuilder()
                .withNewMetadata()
                .withName(LIMITS)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewLimit()
                .withType("Container")
                .addToDefaultRequest("cpu", new Quantity(scanner.cpuRequest()))
                .addToDefaultRequest("memory", new Quantity(scanner.memoryRequest()))
                .addToDefault("cpu", new Quantity(scanner.cpuLimit()))
                .addToDefault("memory", new Quantity(scanner.memoryLimit()))
                .addToMax("cpu", new Quantity(scanner.cpuLimit()))
                .addToMax("memory", new Quantity(scanner.memoryLimit()))
                .endLimit()
                .endSpec()
                .build();
    }

    /** An empty pod selector with both policy types and no rules: nothing in, nothing out. */
    private static NetworkPolicy defaultDeny(String namespace, Map<String, String> labels) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(DEFAULT_DENY)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .endSpec()
                .build();
    }
}
