package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.runner.kubernetes.*}: how scanner workloads run when {@code
 * venti.runner.launcher=kubernetes}. Every value is checked when the runner starts, so a typo in a
 * quantity fails the start instead of every scan.
 *
 * @param images the scanner images
 * @param scanner requests and limits of each scanner container (also the LimitRange's defaults)
 * @param quota the ResourceQuota of each tenant namespace
 * @param dns where scanner pods may send DNS queries (the only egress besides their target)
 * @param runAsUser the non-root user scanner containers run as (the engine image's user)
 * @param deadlineGrace added to a scan's time box for the Job's {@code activeDeadlineSeconds}: the
 *     engine stops itself at the time box and still prints its last events; the deadline only
 *     catches a scanner that does not
 * @param ttlAfterFinished how long Kubernetes keeps a finished Job (and, through owner references,
 *     its Secret and NetworkPolicy) when no runner cleaned up after it
 * @param statusPollInterval how often a runner reads the status of the pod and Job it follows
 *     (the log itself streams)
 * @param allowPrivateTargets whether scans may target private addresses (10/8, 172.16/12,
 *     192.168/16, 100.64/10, fc00::/7), e.g. a cluster scanning its own services; loopback,
 *     link-local (cloud metadata) and multicast addresses are refused regardless
 */
@ConfigurationProperties("venti.runner.kubernetes")
public record KubernetesLauncherProperties(
        @DefaultValue Images images,
        @DefaultValue ContainerResources scanner,
        @DefaultValue TenantQuota quota,
        @DefaultValue DnsEgress dns,
        @DefaultValue("10001") long runAsUser,
        @DefaultValue("PT2M") Duration deadlineGrace,
        @DefaultValue("PT1H") Duration ttlAfterFinished,
        @DefaultValue("PT2S") Duration statusPollInterval,
        @DefaultValue("false") boolean allowPrivateTargets) {

    public KubernetesLauncherProperties {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(scanner, "scanner");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(dns, "dns");
        require(runAsUser > 0, "run-as-user must be a non-root user id (> 0)");
        require(!deadlineGrace.isNegative(), "deadline-grace must not be negative");
        require(ttlAfterFinished.toSeconds() > 0, "ttl-after-finished must be at least a second");
        require(statusPollInterval.isPositive(), "status-poll-interval must be positive");
    }

    /** The defaults, as bound from an empty configuration. */
    public static KubernetesLauncherProperties defaults() {
        return new KubernetesLauncherProperties(
                Images.defaults(),
                ContainerResources.defaults(),
                TenantQuota.defaults(),
                DnsEgress.defaults(),
                10001,
                Duration.ofMinutes(2),
                Duration.ofHours(1),
                Duration.ofSeconds(2),
                false);
    }

    /**
     * @param venti the VentiAPI engine image (see {@code scan-engine/Dockerfile})
     * @param zap the OWASP ZAP image whose {@code zap-api-scan.py} runs ZAP scans
     */
    public record Images(
            @DefaultValue("ghcr.io/ventiapi/venti-scan:0.1.0")
            String venti,

            @DefaultValue("ghcr.io/zaproxy/zaproxy:stable") String zap) {

        public Images {
            require(venti != null && !venti.isBlank(), "images.venti must name an image");
            require(zap != null && !zap.isBlank(), "images.zap must name an image");
        }

        static Images defaults() {
            return new Images("ghcr.io/ventiapi/venti-scan:0.1.0", "ghcr.io/zaproxy/zaproxy:stable");
        }
    }

    /** Kubernetes quantities ({@code 250m}, {@code 512Mi}) of one scanner container. */
    public record ContainerResources(
            @DefaultValue("250m") String cpuRequest,
            @DefaultValue("256Mi") String memoryRequest,
            @DefaultValue("1") String cpuLimit,
            @DefaultValue("768Mi") String memoryLimit) {

        public ContainerResources {
            requireQuantity("scanner.cpu-request", cpuRequest);
            requireQuantity("scanner.memory-request", memoryRequest);
            requireQuantity("scanner.cpu-limit", cpuLimit);
            requireQuantity("scanner.memory-limit", memoryLimit);
            require(
                    amount(cpuRequest).compareTo(amount(cpuLimit)) <= 0,
                    "scanner.cpu-request must not exceed scanner.cpu-limit");
            require(
                    amount(memoryRequest).compareTo(amount(memoryLimit)) <= 0,
                    "scanner.memory-request must not exceed scanner.memory-limit");
        }

        static ContainerResources defaults() {
            return new ContainerResources("250m", "256Mi", "1", "768Mi");
        }
    }

    /**
     * The hard limits of a tenant namespace: a second fence behind the runner's per-tenant
     * concurrency cap.
     *
     * @param pods scanner pods at once
     * @param cpu sum of the CPU limits of its pods
     * @param memory sum of the memory limits of its pods
     */
    public record TenantQuota(
            @DefaultValue("5") int pods,
            @DefaultValue("5") String cpu,
            @DefaultValue("4Gi") String memory) {

        public TenantQuota {
            require(pods > 0, "quota.pods must be positive");
            requireQuantity("quota.cpu", cpu);
            requireQuantity("quota.memory", memory);
        }

        static TenantQuota defaults() {
            return new TenantQuota(5, "5", "4Gi");
        }
    }

    /**
     * The cluster DNS that scanner pods may query, on UDP and TCP port 53.
     *
     * @param namespace the namespace of the DNS pods
     * @param podLabels labels selecting the DNS pods
     */
    public record DnsEgress(@DefaultValue("kube-system") String namespace, Map<String, String> podLabels) {

        public DnsEgress {
            require(namespace != null && !namespace.isBlank(), "dns.namespace must name a namespace");
            podLabels =
                    podLabels == null || podLabels.isEmpty() ? Map.of("k8s-app", "kube-dns") : Map.copyOf(podLabels);
        }

        static DnsEgress defaults() {
            return new DnsEgress("kube-system", null);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("venti.runner.kubernetes." + message);
        }
    }

    private static void requireQuantity(String name, String value) {
        BigDecimal amount;
        try {
            amount = amount(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "venti.runner.kubernetes." + name + " is not a Kubernetes quantity: '" + value + "'", e);
        }
        require(amount.signum() > 0, name + " must be positive");
    }

    private static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }
}
