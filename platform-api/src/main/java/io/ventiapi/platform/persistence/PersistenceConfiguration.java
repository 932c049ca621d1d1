package io.ventiapi.platform.persistence;

import io.ventiapi.tenancy.TenantObservationFilter;
import io.ventiapi.tenancy.jdbc.TenantIdentifierResolver;
import io.ventiapi.tenancy.jdbc.TenantTransactionBinder;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.hibernate.cfg.MultiTenancySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.orm.jpa.JpaTransactionManager;

/**
 * Both isolation layers meet here: Hibernate's {@code @TenantId} reads the tenant context, and
 * every transaction binds it for PostgreSQL row-level security.
 */
@Configuration(proxyBeanMethods = false)
class PersistenceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PersistenceConfiguration.class);

    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        var manager = new TenantTransactionBinder();
        manager.setEntityManagerFactory(entityManagerFactory);
        return manager;
    }

    @Bean
    HibernatePropertiesCustomizer tenantIdentifierResolver() {
        return properties ->
                properties.put(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER, new TenantIdentifierResolver());
    }

    /**
     * Refuses to start on a database role row-level security does not hold, and warns of one that
     * may create temporary tables ({@link RuntimeRoleCheck}); after the migrations, which create the
     * tables it looks at and revoke that right.
     */
    @Bean
    InitializingBean runtimeRoleCheck(DataSource dataSource, ObjectProvider<SpringLiquibase> migrations) {
        return () -> {
            migrations.getIfAvailable();
            RuntimeRoleCheck.refusal(JdbcClient.create(dataSource)).ifPresent(why -> {
                throw new IllegalStateException(why);
            });
            RuntimeRoleCheck.warning(JdbcClient.create(dataSource)).ifPresent(log::warn);
        };
    }

    @Bean
    TenantObservationFilter tenantObservationFilter() {
        return new TenantObservationFilter();
    }
}
