package io.ventiapi.platform.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The platform starts only on a database role that row-level security holds, and warns of one that
 * may create temporary tables.
 */
class RuntimeRoleCheckIT {

    private static String url;

    @BeforeAll
    static void migrated() throws Exception {
        url = LocalDatabase.scratchUrl();
        Migrations.migrateAll(url);
    }

    @Test
    void theRuntimeRoleIsAccepted() throws SQLException {
        try (var app = DriverManager.getConnection(url, LocalDatabase.APP, "")) {
            assertThat(refusal(app)).isEmpty();
            assertThat(warning(app)).isEmpty();
        }
    }

    @Test
    void aRuntimeRoleThatMayCreateTemporaryTablesStartsButIsWarnedAbout() throws SQLException {
        // As in a database the migrations could not take the right back from: another role owns it.
        var database = url.substring(url.lastIndexOf('/') + 1);
        try (var admin = LocalDatabase.asAdmin();
                var statement = admin.createStatement()) {
            statement.execute("grant temporary on database " + database + " to public");
        }
        try (var app = DriverManager.getConnection(url, LocalDatabase.APP, "")) {
            assertThat(refusal(app)).isEmpty();
            assertThat(warning(app))
                    .hasValue("The database role " + LocalDatabase.APP + " may create temporary tables in database "
                            + database + ", which the platform never needs. As the database's owner, revoke"
                            + " temporary on database " + database + " from public and from " + LocalDatabase.APP
                            + "; see README, Database roles.");
        } finally {
            try (var admin = LocalDatabase.asAdmin();
                    var statement = admin.createStatement()) {
                statement.execute("revoke temporary on database " + database + " from public");
            }
        }
    }

    @Test
    void theOwnerOfTheTenantTablesIsRefused() throws SQLException {
        try (var owner = LocalDatabase.asOwner(url)) {
            assertThat(refusal(owner))
                    .hasValueSatisfying(why -> assertThat(why)
                            .startsWith("The database role " + LocalDatabase.OWNER + " has the rights of the owner of ")
                            .contains("audit_events", "findings", "project_identities")
                            .contains("spring.liquibase.user"));
        }
    }

    @Test
    void aRoleThatMayBypassRowLevelSecurityIsRefused() throws SQLException {
        try (var admin = LocalDatabase.asAdmin();
                var statement = admin.createStatement()) {
            statement.execute("drop role if exists venti_it_bypass");
            statement.execute("create role venti_it_bypass login bypassrls");
        }
        try (var bypassing = DriverManager.getConnection(url, "venti_it_bypass", "")) {
            assertThat(refusal(bypassing))
                    .hasValueSatisfying(why -> assertThat(why)
                            .isEqualTo("The database role venti_it_bypass may bypass row-level security, so row-level"
                                    + " security would not keep tenants apart. Connect as the runtime role"
                                    + " (spring.datasource.username) and run migrations as the owner role"
                                    + " (spring.liquibase.user); see README, Configuration."));
        } finally {
            try (var admin = LocalDatabase.asAdmin();
                    var statement = admin.createStatement()) {
                statement.execute("drop role venti_it_bypass");
            }
        }
    }

    private static Optional<String> refusal(Connection connection) {
        return RuntimeRoleCheck.refusal(JdbcClient.create(new SingleConnectionDataSource(connection, true)));
    }

    private static Optional<String> warning(Connection connection) {
        return RuntimeRoleCheck.warning(JdbcClient.create(new SingleConnectionDataSource(connection, true)));
    }
}
