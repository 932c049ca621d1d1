package io.ventiapi.runner.launch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ventiapi.runner.launch.ScanWorkloads;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@EnableKubernetesMockClient
class KubernetesLauncherConfigurationTest {

    KubernetesClient client;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withUserConfiguration(KubernetesLauncherConfiguration.class)
                .withBean(KubernetesClient.class, () -> client);
    }

    @Test
    void theLocalLauncherIsTheDefault() {
        runner().run(context -> assertThat(context).doesNotHaveBean(ScanWorkloads.class));
        runner().withPropertyValues("venti.runner.launcher=local")
                .run(context -> assertThat(context).doesNotHaveBean(ScanWorkloads.class));
    }

    @Test
    void launchesOnKubernetesWhenChosen() {
        runner().withPropertyValues("venti.runner.launcher=kubernetes")
                .run(context ->
                        assertThat(context).getBean(ScanWorkloads.class).isInstanceOf(KubernetesScanWorkloads.class));
    }

    @Test
    void bindsTheDefaultsWhenNothingIsConfigured() {
        runner().withPropertyValues("venti.runner.launcher=kubernetes")
                .run(context -> assertThat(context.getBean(KubernetesLauncherProperties.class))
                        .isEqualTo(KubernetesLauncherProperties.defaults()));
    }

    @Test
    void bindsWhatIsConfigured() {
        runner().withPropertyValues(
                        "venti.runner.launcher=kubernetes",
                        "venti.runner.kubernetes.images.venti=registry.internal/venti-scan:0.2.0",
                        "venti.runner.kubernetes.scanner.memory-limit=1Gi",
                        "venti.runner.kubernetes.quota.pods=12",
                        "venti.runner.kubernetes.dns.namespace=dns-system",
                        "venti.runner.kubernetes.dns.pod-labels.app=coredns",
                        "venti.runner.kubernetes.ttl-after-finished=10m",
                        "venti.runner.kubernetes.allow-private-targets=true")
                .run(context -> {
                    var properties = context.getBean(KubernetesLauncherProperties.class);
                    assertThat(properties.images().venti()).isEqualTo("registry.internal/venti-scan:0.2.0");
                    assertThat(properties.images().zap()).isEqualTo("ghcr.io/zaproxy/zaproxy:stable");
                    assertThat(properties.scanner().memoryLimit()).isEqualTo("1Gi");
                    assertThat(properties.scanner().cpuLimit()).isEqualTo("1");
                    assertThat(properties.quota().pods()).isEqualTo(12);
                    assertThat(properties.dns().namespace()).isEqualTo("dns-system");
                    assertThat(properties.dns().podLabels()).isEqualTo(Map.of("app", "coredns"));
                    assertThat(properties.ttlAfterFinished()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(properties.allowPrivateTargets()).isTrue();
                });
    }

    @Test
    void refusesToStartWithAValueThatWouldBreakEveryScan() {
        for (String invalid : new String[] {
            "venti.runner.kubernetes.scanner.memory-limit=lots",
            "venti.runner.kubernetes.scanner.cpu-request=2", // above the 1 CPU limit
            "venti.runner.kubernetes.run-as-user=0",
            "venti.runner.kubernetes.quota.pods=0"
        }) {
            runner().withPropertyValues("venti.runner.launcher=kubernetes", invalid)
                    .run(context -> {
                        assertThat(context).as(invalid).hasFailed();
                        assertThat(ourMessage(context.getStartupFailure()))
                                .as(invalid)
                                .startsWith("venti.runner.kubernetes.");
                    });
        }
    }

    /** The sentence the operator reads: our validation message, under Spring's binding wrappers. */
    private static String ourMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage().startsWith("venti.runner.")) {
                return cause.getMessage();
            }
        }
        return String.valueOf(failure);
    }
}
