package io.ventiapi.server.tenancy;

import io.ventiapi.server.VentiApplication;
import io.ventiapi.server.support.LocalServicesInitializer;
import io.ventiapi.server.support.TestTenants;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same row-level security checks on a PostgreSQL container, with the owner and runtime
 * roles created as an operator would. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(
        classes = VentiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = LocalServicesInitializer.NO_DEV_SERVICES)
@ContextConfiguration(initializers = RowLevelSecurityContainerIT.ContainerDatabase.class)
@Import(TestTenants.class)
class RowLevelSecurityContainerIT extends RowLevelSecurityChecks {

    static final PostgreSQLContainer POSTGRES =
            new PostgreSQLContainer("postgres:17-alpine").withInitScript("testcontainers/venti-roles.sql");

    static class ContainerDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            new LocalServicesInitializer().initialize(context);
            POSTGRES.start();
            var url = POSTGRES.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/venti$1");
            TestPropertyValues.of(
                            "spring.datasource.url=" + url,
                            "spring.datasource.username=venti_app",
                            "spring.datasource.password=app",
                            "spring.liquibase.url=" + url,
                            "spring.liquibase.user=venti_owner",
                            "spring.liquibase.password=owner")
                    .applyTo(context);
        }
    }
}
