package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.protocol.JobSeal;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The api role's side of the scan pipeline: the outbox relay, the event persister and the progress feed. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PipelineProperties.class)
class PipelineConfiguration {

    @Bean(destroyMethod = "close")
    ScanProgressFeed scanProgressFeed(RedissonClient redis) {
        return new ScanProgressFeed(redis);
    }

    @Bean
    ScanDispatcher scanDispatcher(
            ScanService scans,
            ProjectService projects,
            SpecService specs,
            TenantService tenants,
            RedissonClient redis,
            PipelineProperties properties,
            ScanProgressFeed feed,
            @Value("${" + JobSeal.PROPERTY + ":}") String jobKey,
            OutboundUrlPolicy outbound) {
        return new ScanDispatcher(
                scans, projects, specs, tenants, redis, properties, feed, JobSeal.of(jobKey), outbound);
    }

    @Bean(destroyMethod = "close")
    OutboxRelay outboxRelay(
            JdbcClient jdbc, TransactionTemplate tx, ScanDispatcher dispatcher, PipelineProperties properties) {
        return new OutboxRelay(jdbc, tx, dispatcher, properties);
    }

    @Bean
    LostJobs lostJobs(JdbcClient jdbc, TransactionTemplate tx, RedissonClient redis, AuditLog audit) {
        return new LostJobs(jdbc, tx, redis, audit);
    }

    @Bean(destroyMethod = "close")
    ScanEventPersister scanEventPersister(
            RedissonClient redis,
            ScanService scans,
            FindingRecorder findings,
            TransactionTemplate tx,
            ScanProgressFeed feed,
            PipelineProperties properties) {
        return new ScanEventPersister(redis, scans, findings, tx, feed, properties);
    }

    /** Starts relaying and persisting once the application is up; stops them first on shutdown. */
    @Bean
    SmartLifecycle scanPipelineLifecycle(OutboxRelay relay, ScanEventPersister persister) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                relay.start();
                persister.start();
                running = true;
            }

            @Override
            public void stop() {
                relay.close();
                persister.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
