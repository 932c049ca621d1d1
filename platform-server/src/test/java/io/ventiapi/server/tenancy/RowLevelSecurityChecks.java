package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.tenancy.Tenancy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The second isolation layer: even native SQL, which Hibernate's tenant filter never sees, finds
 * only the bound tenant's rows, and none at all with no tenant bound. Run against the local
 * PostgreSQL ({@link RowLevelSecurityIT}) and, where Docker exists, a PostgreSQL container
 * ({@link RowLevelSecurityContainerIT}).
 */
abstract class RowLevelSecurityChecks {

    @Autowired
    TestTenants tenants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ApplicationContext context;

    TestTenants.Fixture a;
    TestTenants.Fixture b;
    TestProjects.Seeded seededA;

    @BeforeEach
    void twoTenantsWithData() {
        a = tenants.create("rls-a");
        b = tenants.create("rls-b");
        // A project with an identity, a spec, a scan (and its outbox message) and a finding each.
        var projects = new TestProjects(context);
        seededA = projects.seed(a.id(), "RLS", 1);
        projects.seed(b.id(), "RLS", 1);
    }

    /** Every table with a tenant_id column, read from the catalog so a new table cannot be missed. */
    private List<String> tenantOwnedTables() {
        return jdbc.sql("""
                        select c.table_name from information_schema.columns c
                        join information_schema.tables t using (table_schema, table_name)
                        where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                        order by 1""").query(String.class).list();
    }

    @Test
    void everyTenantOwnedTableHasRowLevelSecurityAndTheAppRoleOwnsNone() {
        var tables = tenantOwnedTables();
        assertThat(tables).contains("members", "api_clients", "trusted_issuers", "audit_events");

        for (var table : tables) {
            var row = jdbc.sql("select c.relrowsecurity, pg_get_userbyid(c.relowner) owner from pg_class c "
                            + "where c.relname = ? and c.relkind = 'r'")
                    .param(table)
                    .query((rs, n) -> Map.of("rls", rs.getBoolean(1), "owner", rs.getString(2)))
                    .single();
            assertThat(row.get("rls")).as("row-level security on %s", table).isEqualTo(true);
            assertThat(row.get("owner")).as("owner of %s", table).isNotEqualTo(LocalDatabase.APP);
        }
    }

    @Test
    void noTableHoldsItsOwnerToThePolicies() {
        // ADR 2: migrations run as the owner and rewrite every tenant's rows. Forced, they would run
        // with no tenant bound, see no row and change nothing, without an error.
        var forced = jdbc.sql("""
                        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = 'public' and c.relforcerowsecurity
                        order by 1""").query(String.class).list();

        assertThat(forced)
                .as("tables that force row-level security on their owner")
                .isEmpty();
    }

    @Test
    void nativeSelectsInTenantAsTransactionSeeNoRowOfTenantB() {
        var seen = Tenancy.call(a.id(), () -> tx.execute(status -> tenantIdsPerTable()));

        for (var entry : seen.entrySet()) {
            assertThat(entry.getValue())
                    .as("tenants seen in %s", entry.getKey())
                    .containsOnly(a.id().value());
        }
        assertThat(seen.get("members")).isNotEmpty();
        assertThat(seen.get("api_clients")).isNotEmpty();
        assertThat(seen.get("audit_events")).isNotEmpty();
        assertThat(seen.get("findings")).isNotEmpty();
        assertThat(seen.get("outbox")).isNotEmpty();
    }

    @Test
    void withNoTenantBoundNativeSelectsSeeNoRowsAtAll() {
        var seen = tx.execute(status -> tenantIdsPerTable());

        seen.forEach((table, ids) -> assertThat(ids).as("rows of %s", table).isEmpty());
    }

    @Test
    void writingARowForAnotherTenantIsRefusedByThePolicy() {
        int updated = Tenancy.call(
                a.id(),
                () -> tx.execute(status -> jdbc.sql("update members set role = 'TENANT_ADMIN' where tenant_id = ?")
                        .param(b.id().value())
                        .update()));
        assertThat(updated).as("B's rows are invisible to A's transaction").isZero();
        var role = Tenancy.call(
                b.id(),
                () -> tx.execute(status -> jdbc.sql("select role from members where id = ?")
                        .param(b.viewerMemberId())
                        .query(String.class)
                        .single()));
        assertThat(role).isEqualTo("VIEWER");

        assertThatThrownBy(() -> Tenancy.run(
                        a.id(),
                        () -> tx.executeWithoutResult(
                                status -> jdbc.sql("insert into members (id, tenant_id, username, password_hash, role) "
                                                + "values (gen_random_uuid(), ?, 'intruder@x.test', 'x', 'VIEWER')")
                                        .param(b.id().value())
                                        .update())))
                .rootCause()
                .hasMessageContaining("row-level security");
    }

    @Test
    void aRowCannotReferToAnotherTenantsRows() {
        // Row-level security lets B write a row of its own; its reference to A's project is refused.
        assertThatThrownBy(() -> Tenancy.run(
                        b.id(),
                        () -> tx.executeWithoutResult(status -> jdbc.sql("""
                                        insert into scans (id, tenant_id, project_id, spec_version_id, profile, status,
                                            requested_by, queued_at, scanner_kinds)
                                        values (gen_random_uuid(), ?, ?, ?, 'SAFE', 'QUEUED', 'intruder', now(), 'venti')""")
                                .params(b.id().value(), seededA.projectId(), seededA.specVersionId())
                                .update())))
                .rootCause()
                .hasMessageContaining("violates foreign key constraint \"scans_project_fk\"");
    }

    @Test
    void everyReferenceBetweenTenantOwnedTablesCarriesTheTenant() {
        var unbound = jdbc.sql("""
                        select c.conname from pg_constraint c
                        where c.contype = 'f'
                          and exists (select 1 from pg_attribute t where t.attrelid = c.conrelid and t.attname = 'tenant_id')
                          and exists (select 1 from pg_attribute t where t.attrelid = c.confrelid and t.attname = 'tenant_id')
                          and not exists (select 1 from pg_attribute t where t.attrelid = c.conrelid
                              and t.attnum = any (c.conkey) and t.attname = 'tenant_id')
                        order by 1""").query(String.class).list();

        assertThat(unbound).as("references that do not carry the tenant id").isEmpty();
    }

    @Test
    void theAppRoleCannotRewriteTheAuditLog() {
        assertThatThrownBy(() -> Tenancy.run(
                        a.id(),
                        () -> tx.executeWithoutResult(status ->
                                jdbc.sql("update audit_events set action = 'x'").update())))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> Tenancy.run(
                        a.id(),
                        () -> tx.executeWithoutResult(
                                status -> jdbc.sql("delete from audit_events").update())))
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    @Test
    void theAppRoleCannotCreateTemporaryTables() throws Exception {
        try (var app = session("spring.datasource.url", "spring.datasource.username", "spring.datasource.password");
                var statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("create temporary table x (i int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied to create temporary tables");
        }
    }

    @Test
    void theSignInLookupsNeverReadATemporaryTable() throws Exception {
        var username = "admin@" + a.id().value() + ".test";
        // The runtime role may create no temporary table; the owner, who may, stands in for a role
        // that could. A session of its own: one that called the lookup before keeps the plan it made then.
        try (var owner = session("spring.liquibase.url", "spring.liquibase.user", "spring.liquibase.password");
                var statement = owner.createStatement()) {
            statement.execute("create temp table members (id uuid, tenant_id text, username text,"
                    + " password_hash text, role text)");
            statement.execute("insert into members values (gen_random_uuid(), 'platform', '" + username
                    + "', 'forged', 'PLATFORM_ADMIN')");
            try (var found = statement.executeQuery(
                    "select tenant_id, role, password_hash from venti_member_login('" + username + "')")) {
                assertThat(found.next()).isTrue();
                assertThat(found.getString(1)).isEqualTo(a.id().value());
                assertThat(found.getString(2)).isEqualTo("TENANT_ADMIN");
                assertThat(found.getString(3)).isNotEqualTo("forged");
            }
        }
    }

    @Test
    void everySecurityDefinerFunctionSearchesTemporaryTablesLast() {
        // Read from the catalog, so a function added with "set search_path = public" (pg_temp then
        // searched first, as 001's were) cannot be missed.
        var searchPaths = jdbc.sql("""
                        select p.oid::regprocedure::text,
                               coalesce((select c from unnest(p.proconfig) c where c like 'search_path=%'), 'none')
                        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                        where n.nspname = 'public' and p.prosecdef""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list();

        assertThat(searchPaths)
                .extracting(Map.Entry::getKey)
                .contains(
                        "venti_member_login(text)",
                        "venti_api_client_login(text)",
                        "venti_issuer_tenants(text)",
                        "venti_outbox_pending_tenants()",
                        "venti_identities_to_reseal(text,integer)");
        for (var function : searchPaths) {
            assertThat(function.getValue())
                    .as("search path of %s", function.getKey())
                    .matches("search_path=(.*[ ,])?pg_temp");
        }
    }

    @Test
    void noTenantCanBeNamedWhatNoTenantBoundReads() {
        assertThatThrownBy(() -> tx.executeWithoutResult(
                        status -> jdbc.sql("insert into tenants (id, name, status, plan, created_at, updated_at)"
                                        + " values ('', 'unbound', 'ACTIVE', 'FREE', now(), now())")
                                .update()))
                .rootCause()
                .hasMessageContaining("tenants_id_slug");
    }

    /** A connection of its own, outside the pool, with the datasource or migration settings named. */
    private Connection session(String url, String user, String password) throws SQLException {
        var environment = context.getEnvironment();
        return DriverManager.getConnection(
                environment.getRequiredProperty(url),
                environment.getRequiredProperty(user),
                environment.getProperty(password, ""));
    }

    private Map<String, List<String>> tenantIdsPerTable() {
        var seen = new java.util.TreeMap<String, List<String>>();
        for (var table : tenantOwnedTables()) {
            var ids = new ArrayList<>(jdbc.sql("select distinct tenant_id from " + table)
                    .query(String.class)
                    .list());
            seen.put(table, ids);
        }
        return seen;
    }
}
