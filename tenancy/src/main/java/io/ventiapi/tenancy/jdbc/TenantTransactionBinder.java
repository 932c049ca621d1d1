package io.ventiapi.tenancy.jdbc;

import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A JPA transaction manager that binds the current tenant to every transaction it begins, for
 * PostgreSQL row-level security: {@code set_config('app.tenant_id', <tenant>, true)}. The setting
 * is transaction-local, so it ends with the transaction and never leaks to the next user of the
 * pooled connection. Where no tenant is bound it sets the empty string, which no policy matches:
 * no tenant, no rows.
 */
public class TenantTransactionBinder extends JpaTransactionManager {

    /** The PostgreSQL setting that row-level security policies compare {@code tenant_id} with. */
    public static final String SETTING = "app.tenant_id";

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, definition);
        var holder = (EntityManagerHolder) TransactionSynchronizationManager.getResource(obtainEntityManagerFactory());
        bind(holder.getEntityManager(), Tenancy.find().map(TenantId::value).orElse(""));
    }

    private static void bind(EntityManager entityManager, String tenant) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (var statement = connection.prepareStatement("select set_config('" + SETTING + "', ?, true)")) {
                statement.setString(1, tenant);
                statement.execute();
            }
        });
    }
}
