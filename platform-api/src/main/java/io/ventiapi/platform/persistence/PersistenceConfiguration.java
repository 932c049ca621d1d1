package io.ventiapi.platform.persistence;

import io.ventiapi.tenancy.TenantObservationFilter;
import io.ventiapi.tenancy.jdbc.TenantIdentifierResolver;
import io.ventiapi.tenancy.jdbc.TenantTransactionBinder;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.hibernate.cfg.MultiTenancySettings;
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
     * Refuses to start on a database role row-level security does not hold ({@link
     * RuntimeRoleCheck}); after the migrations, which create the tables it looks at.
     */
    @Bean
    InitializingBean runtimeRoleCheck(DataSource dataSource, ObjectProvider<SpringLiquibase> migrations) {
        return () -> {
            migrations.getIfAvailable();
            RuntimeRoleCheck.refusal(JdbcClient.create(dataSource)).ifPresent(why -> {
                throw new IllegalStateException(why);
            });
        };
    }

    @Bean
    TenantObservationFilter tenantObservationFilter() {
        return new TenantObservationFilter();
    }
}
