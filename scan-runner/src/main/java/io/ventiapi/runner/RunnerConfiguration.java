package io.ventiapi.runner;

import io.ventiapi.protocol.JobSeal;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.local.LocalLauncherProperties;
import io.ventiapi.runner.launch.local.LocalProcessWorkloads;
import io.ventiapi.runner.queue.ScanRunner;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runner role's beans: the launcher chosen by {@code venti.runner.launcher}, and the consuming loop. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RunnerProperties.class, LocalLauncherProperties.class})
class RunnerConfiguration {

    @Bean
    @ConditionalOnProperty(name = "venti.runner.launcher", havingValue = "local", matchIfMissing = true)
    ScanWorkloads localProcessWorkloads(
            LocalLauncherProperties properties,
            @Value("${venti.outbound.allow-loopback:false}") boolean allowLoopback,
            @Value("${venti.outbound.allow-private:false}") boolean allowPrivate) {
        // Local scans connect from this machine: the platform's own outbound rule applies to them.
        return new LocalProcessWorkloads(
                properties, new ScanEgressPlanner(HostResolver.SYSTEM, allowLoopback, allowPrivate));
    }

    @Bean
    ScanRunner scanRunner(
            RedissonClient redis,
            RunnerProperties properties,
            ScanWorkloads workloads,
            @Value("${" + JobSeal.PROPERTY + ":}") String jobKey) {
        return new ScanRunner(redis, properties, workloads, JobSeal.of(jobKey));
    }

    /** Starts consuming once the application is up, stops first on shutdown. */
    @Bean
    SmartLifecycle scanRunnerLifecycle(ScanRunner runner) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                runner.start();
                running = true;
            }

            @Override
            public void stop() {
                runner.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
