package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.ScanWorkloads;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kubernetes launcher, chosen with {@code venti.runner.launcher=kubernetes}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "venti.runner.launcher", havingValue = "kubernetes")
@EnableConfigurationProperties(KubernetesLauncherProperties.class)
class KubernetesLauncherConfiguration {

    /**
     * In a pod, the runner's service account (the Helm chart's RBAC); elsewhere, the kubeconfig's
     * current context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    @ConditionalOnMissingBean
    HostResolver scanTargetResolver() {
        return HostResolver.SYSTEM;
    }

    @Bean
    ScanWorkloads kubernetesScanWorkloads(
            KubernetesClient client, KubernetesLauncherProperties properties, HostResolver resolver) {
        return new KubernetesScanWorkloads(client, properties, resolver);
    }
}
