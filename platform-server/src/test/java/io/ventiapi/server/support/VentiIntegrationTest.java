package io.ventiapi.server.support;

import io.ventiapi.server.VentiApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The one integration-test setup: the api and portal roles on a random port, against the local
 * PostgreSQL and the tests' own Redis. Every test class using it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = VentiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Here, not in the initializer: dev services decide before initializers run.
        properties = {
            LocalServicesInitializer.NO_DEV_SERVICES,
            // No runner: scans other tests start stay queued. ScanPipelineIT runs its own runners.
            "venti.roles=api,portal",
            // Open subscriptions check their caller's standing every second, not every 30.
            "venti.graphql.subscription-recheck=PT1S",
            // A tenant's cap on open subscriptions that SubscriptionLimitsIT can reach cheaply.
            "venti.graphql.max-subscriptions-per-tenant=30"
        })
@ContextConfiguration(initializers = LocalServicesInitializer.class)
@Import(TestTenants.class)
public @interface VentiIntegrationTest {}
