package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.jdbc.TenantTransactionBinder;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction whose tenant could not be bound (its connection died between the pool and the
 * binding, say) fails to begin and leaves nothing behind: the thread's next transaction starts
 * afresh, bound to its own tenant, instead of joining the one that failed.
 */
@VentiIntegrationTest
class TenantBindingFailureIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Autowired
    DataSource dataSource;

    @Test
    void aTransactionWhoseTenantCannotBeBoundFailsAndTheNextOneIsBound() throws Exception {
        var acme = tenants.create("bind-fail");
        var setting = "select current_setting('" + TenantTransactionBinder.SETTING + "', true)";

        // The binding's statement is refused, deterministically, while its connection stays usable.
        try (var admin = LocalDatabase.asAdmin();
                var statement = admin.createStatement()) {
            statement.execute("revoke execute on function pg_catalog.set_config(text, text, boolean) from public");
        }
        try {
            assertThatThrownBy(() -> Tenancy.run(
                            acme.id(),
                            () -> tx.execute(status ->
                                    jdbc.sql(setting).query(String.class).single())))
                    .isInstanceOf(CannotCreateTransactionException.class);
        } finally {
            try (var admin = LocalDatabase.asAdmin();
                    var statement = admin.createStatement()) {
                statement.execute("grant execute on function pg_catalog.set_config(text, text, boolean) to public");
            }
        }

        assertThat(TransactionSynchronizationManager.hasResource(entityManagerFactory)
                        || TransactionSynchronizationManager.hasResource(dataSource))
                .as("nothing of the failed transaction is left on the thread")
                .isFalse();
        var bound = Tenancy.call(
                acme.id(),
                () -> tx.execute(status -> jdbc.sql(setting).query(String.class).single()));
        assertThat(bound).isEqualTo(acme.id().value());
    }
}
