package io.ventiapi.runner.launch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ventiapi.tenancy.TenantId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class TenantNamespaceProvisionerTest {

    KubernetesClient client;

    private static final TenantId ACME = TenantId.of("acme");
    private static final Map<String, String> TENANT_LABELS = Map.of(
            "app.kubernetes.io/part-of", "ventiapi",
            "app.kubernetes.io/managed-by", "venti-runner",
            "venti.io/tenant", "acme");

    private TenantNamespaceProvisioner provisioner;

    @BeforeEach
    void provisioner() {
        provisioner = new TenantNamespaceProvisioner(client, KubernetesLauncherProperties.defaults());
    }

    @Test
    void createsTheTenantNamespaceWithItsLabelsAndPodSecurityRestricted() {
        assertThat(provisioner.provision(ACME)).isEqualTo("venti-t-acme");

        Namespace namespace = client.namespaces().withName("venti-t-acme").get();
        assertThat(namespace.getMetadata().getLabels())
                .containsAllEntriesOf(TENANT_LABELS)
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    void capsPodsCpuAndMemoryOfTheNamespace() {
        provisioner.provision(ACME);

        ResourceQuota quota = client.resourceQuotas()
                .inNamespace("venti-t-acme")
                .withName("venti-scan-quota")
                .get();
        assertThat(quota.getMetadata().getLabels()).containsAllEntriesOf(TENANT_LABELS);
        assertThat(quota.getSpec().getHard())
                .containsOnly(
                        Map.entry("pods", new Quantity("5")),
                        Map.entry("limits.cpu", new Quantity("5")),
                        Map.entry("limits.memory", new Quantity("4Gi")));
    }

    @Test
    void givesContainersDefaultRequestsAndLimitsAndCapsThem() {
        provisioner.provision(ACME);

        var limitRange = client.limitRanges()
                .inNamespace("venti-t-acme")
                .withName("venti-scan-limits")
                .get();
        assertThat(limitRange.getMetadata().getLabels()).containsAllEntriesOf(TENANT_LABELS);
        assertThat(limitRange.getSpec().getLimits()).hasSize(1);
        LimitRangeItem container = limitRange.getSpec().getLimits().getFirst();
        assertThat(container.getType()).isEqualTo("Container");
        assertThat(container.getDefaultRequest())
                .containsOnly(Map.entry("cpu", new Quantity("250m")), Map.entry("memory", new Quantity("256Mi")));
        assertThat(container.getDefault())
                .containsOnly(Map.entry("cpu", new Quantity("1")), Map.entry("memory", new Quantity("768Mi")));
        assertThat(container.getMax())
                .containsOnly(Map.entry("cpu", new Quantity("1")), Map.entry("memory", new Quantity("768Mi")));
    }

    @Test
    void deniesAllIngressAndEgressOfEveryPodByDefault() {
        provisioner.provision(ACME);

        NetworkPolicy deny = client.network()
                .v1()
                .networkPolicies()
                .inNamespace("venti-t-acme")
                .withName("venti-default-deny")
                .get();
        assertThat(deny.getMetadata().getLabels()).containsAllEntriesOf(TENANT_LABELS);
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
    }

    @Test
    void provisioningTwiceLeavesTheSameObjects() {
        provisioner.provision(ACME);
        var first = snapshot();

        provisioner.provision(ACME);

        assertThat(snapshot()).isEqualTo(first);
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace("venti-t-acme")
                        .list()
                        .getItems())
                .hasSize(1);
        assertThat(client.resourceQuotas().inNamespace("venti-t-acme").list().getItems())
                .hasSize(1);
    }

    @Test
    void keepsLabelsThatOperatorsPutOnTheNamespace() {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("venti-t-acme")
                        .addToLabels("cost-centre", "cc-42")
                        .endMetadata()
                        .build())
                .create();

        provisioner.provision(ACME);

        assertThat(client.namespaces()
                        .withName("venti-t-acme")
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsEntry("cost-centre", "cc-42")
                .containsAllEntriesOf(TENANT_LABELS);
    }

    @Test
    void restoresAGuardrailSomeoneLoosened() {
        provisioner.provision(ACME);
        client.resourceQuotas()
                .inNamespace("venti-t-acme")
                .withName("venti-scan-quota")
                .edit(quota -> {
                    quota.getSpec().getHard().put("pods", new Quantity("500"));
                    return quota;
                });

        provisioner.provision(ACME);

        assertThat(client.resourceQuotas()
                        .inNamespace("venti-t-acme")
                        .withName("venti-scan-quota")
                        .get()
                        .getSpec()
                        .getHard())
                .containsEntry("pods", new Quantity("5"));
    }

    /** The specs and labels of what was provisioned, without the server's bookkeeping. */
    private Map<String, Object> snapshot() {
        String namespace = "venti-t-acme";
        return Map.of(
                "namespace",
                        client.namespaces()
                                .withName(namespace)
                                .get()
                                .getMetadata()
                                .getLabels(),
                "quota",
                        client.resourceQuotas()
                                .inNamespace(namespace)
                                .withName("venti-scan-quota")
                                .get()
                                .getSpec(),
                "limits",
                        client.limitRanges()
                                .inNamespace(namespace)
                                .withName("venti-scan-limits")
                                .get()
                                .getSpec(),
                "deny",
                        client.network()
                                .v1()
                                .networkPolicies()
                                .inNamespace(namespace)
                                .withName("venti-default-deny")
                                .get()
                                .getSpec());
    }
}
