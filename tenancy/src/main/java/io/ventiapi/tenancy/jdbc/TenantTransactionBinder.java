package io.ventiapi.tenancy.jdbc;

import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import jakarta.persistence.EntityManager;
import java.util.Objects;
import org.hibernate.Session;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A JPA transaction manager that binds the current tenant to every transaction it begins, for
 * PostgreSQL row-level security: {@code set_config('app.tenant_id', <tenant>, true)}. The setting
 * is transaction-local, so it ends with the transaction and never leaks to the next user of the
 * pooled connection. Where no tenant is bound it sets the empty string, which no policy matches:
 * no tenant, no rows.
 *
 * <p>A transaction keeps the tenant it began with: the setting is made once, and Hibernate's
 * session takes its tenant when it opens. Work bound to another tenant that joins it would read and
 * write as the first while {@link Tenancy#current()} names its own (advisory-lock keys, published
 * events, audit events), so joining is refused with an {@link IllegalStateException}. Such work
 * runs in a transaction of its own: after the other one, or in a new one
 * ({@code PROPAGATION_REQUIRES_NEW}).
 */
public class TenantTransactionBinder extends JpaTransactionManager {

    /** The PostgreSQL setting that row-level security policies compare {@code tenant_id} with. */
    public static final String SETTING = "app.tenant_id";

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, definition);
        var holder = (EntityManagerHolder) TransactionSynchronizationManager.getResource(obtainEntityManagerFactory());
        try {
            bind(holder.getEntityManager(), Tenancy.find().map(TenantId::value).orElse(""));
        } catch (RuntimeException e) {
            // The begin bound its entity manager and connection to this thread. Left there, every
            // later transaction of the thread would join this one, which is neither bound nor
            // alive: undo it as a failed begin does, so the next one starts afresh.
            abandon(holder, transaction);
            throw new CannotCreateTransactionException("Could not bind the tenant to the transaction", e);
        }
    }

    /** Joining a transaction passes here (a new one too, after its begin): refused to another tenant. */
    @Override
    protected void prepareSynchronization(DefaultTransactionStatus status, TransactionDefinition definition) {
        if (status.hasTransaction() && !status.isNewTransaction()) {
            requireSameTenant();
        }
        super.prepareSynchronization(status, definition);
    }

    private void requireSameTenant() {
        // A transaction joined is one this manager began, its entity manager bound to the thread.
        var holder = (EntityManagerHolder) TransactionSynchronizationManager.getResource(obtainEntityManagerFactory());
        var begun =
                Objects.toString(holder.getEntityManager().unwrap(Session.class).getTenantIdentifierValue(), "");
        var joining = Tenancy.find().map(TenantId::value).orElse("");
        if (!begun.equals(joining)) {
            throw new IllegalStateException("Work for " + describe(joining) + " cannot join a transaction bound to "
                    + describe(begun) + ": its connection and session keep that tenant. Run the work in a"
                    + " transaction of its own, after that one or in a new one (PROPAGATION_REQUIRES_NEW).");
        }
    }

    private static String describe(String tenant) {
        return tenant.isEmpty() ? "no tenant" : "tenant " + tenant;
    }

    private void abandon(EntityManagerHolder holder, Object transaction) {
        try {
            var begun = holder.getEntityManager().getTransaction();
            if (begun.isActive()) {
                begun.rollback();
            }
        } catch (RuntimeException e) {
            // the connection is gone: closing the entity manager below releases it all the same
        }
        doCleanupAfterCompletion(transaction);
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
