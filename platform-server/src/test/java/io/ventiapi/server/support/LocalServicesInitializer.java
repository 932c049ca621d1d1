package io.ventiapi.server.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the application at the local PostgreSQL (a fresh database) and the tests' own Redis. */
public class LocalServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** A fixed master key: tests must not depend on a developer's dev-services key. */
    public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmc=";

    /**
     * A key {@link #MASTER_KEY} replaced: it only opens what it sealed, which the platform re-seals
     * with the current key (MasterKeyRotationIT).
     */
    public static final String PREVIOUS_MASTER_KEY = "dmVudGktcHJldmlvdXMtbWFzdGVyLWtleS0zMmJ5dGU=";

    public static final String ISSUER = "http://venti.test";

    /** A fixed job key, shared by the application and the runners tests start themselves. */
    public static final String JOB_KEY = "dGVzdC1qb2Ita2V5LW9mLXRoaXJ0eS10d28tYnl0ZXM=";

    private static final String STATISTICS = "spring.jpa.properties.hibernate.generate_statistics";

    /** Tests bring their own servers; this must be a test property, seen before dev services start. */
    public static final String NO_DEV_SERVICES = "venti.dev-services.enabled=false";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var url = LocalDatabase.url();
        var redis = LocalRedis.address();
        TestPropertyValues.of(
                        "spring.datasource.url=" + url,
                        "spring.datasource.username=" + LocalDatabase.APP,
                        "spring.datasource.password=",
                        "spring.liquibase.url=" + url,
                        "spring.liquibase.user=" + LocalDatabase.OWNER,
                        "spring.liquibase.password=",
                        "spring.liquibase.parameters.app_role=" + LocalDatabase.APP,
                        "spring.data.redis.host=" + redis.substring(0, redis.lastIndexOf(':')),
                        "spring.data.redis.port=" + redis.substring(redis.lastIndexOf(':') + 1),
                        "venti.security.master-key=" + MASTER_KEY,
                        "venti.security.previous-master-keys=" + PREVIOUS_MASTER_KEY,
                        "venti.job-key=" + JOB_KEY,
                        "venti.security.issuer=" + ISSUER,
                        "venti.outbound.allow-loopback=true")
                .applyTo(context);
        // FindingsQueryCountIT counts statements; the counters cost little, but a class that turns
        // them off (the benchmark, measuring what production runs) is not overridden here.
        if (context.getEnvironment().getProperty(STATISTICS) == null) {
            TestPropertyValues.of(STATISTICS + "=true").applyTo(context);
        }
    }
}
