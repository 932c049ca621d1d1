package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.Interleavings;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The operator gives a tenant its first admin: on creation, or later when it has none. A tenant
 * whose admin was refused after it was created says so, and is not left beyond repair.
 */
@VentiIntegrationTest
class TenantAdminsIT {

    private static final String CREATE = """
            mutation($input: CreateTenantInput!) { createTenant(input: $input) {
              tenant { id } admin { id } adminInitialPassword errors { code field message } } }""";
    private static final String ADD = """
            mutation($input: AddTenantAdminInput!) { addTenantAdmin(input: $input) {
              admin { id username role } initialPassword errors { code field message } } }""";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    PasswordEncoder passwords;

    Api api;
    String operator;
    String operatorClientId;
    String suffix;
    ExecutorService executor;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        var client = SystemActor.call(
                TenantId.PLATFORM,
                () -> context.getBean(ApiClientService.class)
                        .create("operator", List.of(Scopes.PLATFORM_ADMIN, Scopes.TENANT_ADMIN)));
        operatorClientId = client.client().getClientId();
        operator = api.token(operatorClientId, client.clientSecret());
        suffix = UUID.randomUUID().toString().substring(0, 8);
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void aTenantWithoutAnAdminGetsItsFirstAndNoMore() throws SQLException {
        var id = "lone-" + suffix;
        assertThat(api.graphql(operator, CREATE, Map.of("input", Map.of("id", id, "name", "Lone")))
                        .data("createTenant.errors"))
                .isEmpty();

        var added = api.graphql(operator, ADD, Map.of("input", Map.of("tenantId", id, "username", "first@" + id)));

        assertThat(added.data("addTenantAdmin.errors")).as(added.body()).isEmpty();
        assertThat(added.data("addTenantAdmin.admin.role").asString()).isEqualTo("TENANT_ADMIN");
        var password = added.data("addTenantAdmin.initialPassword").asString();
        assertThat(passwords.matches(password, passwordHashOf("first@" + id))).isTrue();
        assertThat(membersOf(id)).containsExactly("first@" + id);
        assertThat(actionsOf(id)).containsExactly("member.bootstrap");
        assertThat(platformActionsOn(id)).containsExactly("tenant.create", "tenant.addAdmin");

        var again = api.graphql(operator, ADD, Map.of("input", Map.of("tenantId", id, "username", "second@" + id)));

        assertThat(again.data("addTenantAdmin.errors").get(0).get("code").asString())
                .as(again.body())
                .isEqualTo("CONFLICT");
        assertThat(again.data("addTenantAdmin.initialPassword").isNull()).isTrue();
        assertThat(membersOf(id)).containsExactly("first@" + id);
        assertThat(platformActionsOn(id))
                .containsExactly("tenant.create", "tenant.addAdmin", "tenant.addAdmin", "tenant.adminRefused");
    }

    @Test
    void aFirstAdminAddedMeanwhileIsSeenAndNoSecondIsAdded() throws Exception {
        var id = "pair-" + suffix;
        api.graphql(operator, CREATE, Map.of("input", Map.of("id", id, "name", "Pair")));
        try (var other = LocalDatabase.asOwner()) {
            // Another change to the tenant's admins, under way: it holds their lock and adds one.
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement("select pg_advisory_xact_lock(hashtext('admins:' || ?))");
                    var insert = other.prepareStatement("insert into members (id, tenant_id, username, password_hash,"
                            + " role) values (?, ?, ?, 'x', 'TENANT_ADMIN')")) {
                lock.setString(1, id);
                lock.execute();
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, id);
                insert.setString(3, "meanwhile@" + id);
                insert.executeUpdate();
            }
            var adding = executor.submit(() ->
                    api.graphql(operator, ADD, Map.of("input", Map.of("tenantId", id, "username", "second@" + id))));
            Interleavings.untilDoneOrBlockedBy(adding, other);
            assertThat(adding.isDone())
                    .as("the operator's change waits for the other one")
                    .isFalse();
            other.commit();

            var added = adding.get();

            assertThat(added.data("addTenantAdmin.errors").get(0).get("code").asString())
                    .as(added.body())
                    .isEqualTo("CONFLICT");
        }
        assertThat(membersOf(id)).containsExactly("meanwhile@" + id);
    }

    @Test
    void anUnknownTenantOrThePlatformsOwnIsRefused() {
        var unknown = api.graphql(
                operator, ADD, Map.of("input", Map.of("tenantId", "nobody-" + suffix, "username", "x@" + suffix)));
        assertThat(unknown.data("addTenantAdmin.errors").get(0).get("code").asString())
                .as(unknown.body())
                .isEqualTo("NOT_FOUND");

        var platform = api.graphql(
                operator,
                ADD,
                Map.of("input", Map.of("tenantId", TenantId.PLATFORM.value(), "username", "y@" + suffix)));
        assertThat(platform.data("addTenantAdmin.errors").get(0).get("code").asString())
                .as(platform.body())
                .isEqualTo("INVALID_INPUT");
    }

    @Test
    void anAdminWhoseUsernameIsTakenMeanwhileLeavesTheTenantRepairable() throws Exception {
        var id = "raced-" + suffix;
        var username = "raced@" + suffix;
        var racer = UUID.randomUUID();
        try (var other = LocalDatabase.asOwner()) {
            // Another tenant's member takes the username in a transaction still open.
            other.setAutoCommit(false);
            try (var insert =
                    other.prepareStatement("insert into members (id, tenant_id, username, password_hash, role)"
                            + " values (?, 'platform', ?, 'x', 'PLATFORM_ADMIN')")) {
                insert.setObject(1, racer);
                insert.setString(2, username);
                insert.executeUpdate();
            }
            var creating = executor.submit(() -> api.graphql(
                    operator, CREATE, Map.of("input", Map.of("id", id, "name", "Raced", "adminUsername", username))));
            Interleavings.untilDoneOrBlockedBy(creating, other);
            assertThat(creating.isDone())
                    .as("the admin's insert waits on the other transaction's username")
                    .isFalse();
            other.commit();

            var created = creating.get();

            assertThat(created.data("createTenant.tenant.id").asString())
                    .as(created.body())
                    .isEqualTo(id);
            assertThat(created.data("createTenant.admin").isNull()).isTrue();
            var error = created.data("createTenant.errors").get(0);
            assertThat(error.get("code").asString()).isEqualTo("CONFLICT");
            assertThat(error.get("field").asString()).isEqualTo("adminUsername");
            assertThat(error.get("message").asString()).contains("addTenantAdmin");
        } finally {
            execute("delete from members where id = ?", racer);
        }
        assertThat(membersOf(id)).isEmpty();
        assertThat(platformActionsOn(id)).containsExactly("tenant.create", "tenant.adminRefused");

        var added = api.graphql(operator, ADD, Map.of("input", Map.of("tenantId", id, "username", "second@" + suffix)));

        assertThat(added.data("addTenantAdmin.errors")).as(added.body()).isEmpty();
        assertThat(membersOf(id)).containsExactly("second@" + suffix);
    }

    @Test
    void suspendingAndReactivatingATenantIsInItsOwnAuditLogToo() {
        var id = "paused-" + suffix;
        api.graphql(
                operator, CREATE, Map.of("input", Map.of("id", id, "name", "Paused", "adminUsername", "admin@" + id)));
        var status = """
                mutation($id: ID!) { %s(input: {id: $id}) { tenant { status } errors { code message } } }""";

        var suspended = api.graphql(operator, status.formatted("suspendTenant"), Map.of("id", id));
        var reactivated = api.graphql(operator, status.formatted("reactivateTenant"), Map.of("id", id));

        assertThat(suspended.data("suspendTenant.tenant.status").asString())
                .as(suspended.body())
                .isEqualTo("SUSPENDED");
        assertThat(reactivated.data("reactivateTenant.tenant.status").asString())
                .as(reactivated.body())
                .isEqualTo("ACTIVE");
        assertThat(actionsOf(id)).containsExactly("member.bootstrap", "tenant.suspend", "tenant.reactivate");
        assertThat(strings("select actor from audit_events where tenant_id = ? and action like 'tenant.%'", id))
                .as("the operator is named")
                .containsExactly(operatorClientId, operatorClientId);
        assertThat(platformActionsOn(id)).containsExactly("tenant.create", "tenant.suspend", "tenant.reactivate");
    }

    private static List<String> membersOf(String tenant) {
        return strings("select username from members where tenant_id = ? order by created_at", tenant);
    }

    private static List<String> actionsOf(String tenant) {
        return strings("select action from audit_events where tenant_id = ? order by seq", tenant);
    }

    private static List<String> platformActionsOn(String tenant) {
        return strings(
                "select action from audit_events where tenant_id = 'platform' and target_id = ? order by seq", tenant);
    }

    private static void execute(String sql, Object parameter) {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String passwordHashOf(String username) {
        return strings("select password_hash from members where username = ?", username)
                .getFirst();
    }

    private static List<String> strings(String sql, String parameter) {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setString(1, parameter);
            var result = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
