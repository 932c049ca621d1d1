package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction keeps the tenant it began with: work bound to another tenant that would join it,
 * and read and write as the first while naming its own, is refused before it runs.
 */
@VentiIntegrationTest
class TenantTransactionJoinIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MemberService members;

    @Autowired
    TenantService tenantService;

    TestTenants.Fixture a;
    TestTenants.Fixture b;

    @BeforeEach
    void twoTenants() {
        a = tenants.create("join-a");
        b = tenants.create("join-b");
    }

    @Test
    void anotherTenantsTransactionInsideOneBoundToAIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> Tenancy.run(
                        a.id(),
                        () -> tx.executeWithoutResult(status -> {
                            addMember(a.id(), "first@" + a.id().value() + ".test");
                            Tenancy.run(
                                    b.id(),
                                    () -> tx.executeWithoutResult(
                                            inner -> addMember(b.id(), "second@" + b.id().value() + ".test")));
                        })))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Work for tenant " + b.id().value()
                        + " cannot join a transaction bound to tenant " + a.id().value());

        assertThat(usernames(a.id())).doesNotContain("first@" + a.id().value() + ".test");
        assertThat(usernames(b.id())).doesNotContain("second@" + b.id().value() + ".test");
    }

    @Test
    void theOperatorCannotGiveATenantItsFirstAdminFromInsideAPlatformTransaction() {
        // bootstrapAdmin binds the new tenant for a transaction of its own; joined to the platform's,
        // it would run as the platform while naming the new tenant.
        var empty = TenantId.of("join-empty-" + a.id().value().substring("join-a-".length()));
        SystemActor.run(TenantId.PLATFORM, () -> tenantService.create(empty.value(), "Empty", Plan.TEAM, null));
        var username = "first-admin@" + empty.value() + ".test";

        assertThatThrownBy(() -> SystemActor.run(
                        TenantId.PLATFORM,
                        () -> tx.executeWithoutResult(status -> members.bootstrapAdmin(empty, username))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "Work for tenant " + empty.value() + " cannot join a transaction bound to tenant platform");

        assertThat(usernames(empty)).isEmpty();
        assertThat(usernames(TenantId.PLATFORM)).doesNotContain(username);
    }

    @Test
    void theSameTenantStillJoinsAndAnotherMayBeginItsOwn() {
        var newTransaction = new TransactionTemplate(tx.getTransactionManager());
        newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        Tenancy.run(
                a.id(),
                () -> tx.executeWithoutResult(status -> {
                    Tenancy.run(
                            a.id(),
                            () -> tx.executeWithoutResult(
                                    joined -> addMember(a.id(), "joined@" + a.id().value() + ".test")));
                    Tenancy.run(
                            b.id(),
                            () -> newTransaction.executeWithoutResult(
                                    own -> addMember(b.id(), "own@" + b.id().value() + ".test")));
                }));

        assertThat(usernames(a.id())).contains("joined@" + a.id().value() + ".test");
        assertThat(usernames(b.id())).contains("own@" + b.id().value() + ".test");
    }

    private void addMember(TenantId tenant, String username) {
        jdbc.sql("insert into members (id, tenant_id, username, password_hash, role)"
                        + " values (gen_random_uuid(), ?, ?, 'x', 'VIEWER')")
                .params(tenant.value(), username)
                .update();
    }

    private List<String> usernames(TenantId tenant) {
        return Tenancy.call(
                tenant,
                () -> tx.execute(status -> jdbc.sql("select username from members")
                        .query(String.class)
                        .list()));
    }
}
