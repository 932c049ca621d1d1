package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Changeset 021: in a database created before it, where PostgreSQL let every role create temporary
 * tables, the runtime role may create none once the platform is upgraded.
 */
class TemporaryTablesMigrationIT {

    @Test
    void theRuntimeRoleLosesTemporaryTables() throws Exception {
        var url = LocalDatabase.scratchUrl();
        var database = url.substring(url.lastIndexOf('/') + 1);
        Migrations.migrateBefore(url, "021-");
        // What a new database allows, and what an operator may have granted the runtime role itself.
        try (var admin = LocalDatabase.asAdmin();
                var statement = admin.createStatement()) {
            statement.execute("grant temporary on database " + database + " to public, " + LocalDatabase.APP);
        }
        try (var app = DriverManager.getConnection(url, LocalDatabase.APP, "");
                var statement = app.createStatement()) {
            assertThatCode(() -> statement.execute("create temporary table before_021 (i int)"))
                    .doesNotThrowAnyException();
        }

        Migrations.migrateAll(url);

        try (var app = DriverManager.getConnection(url, LocalDatabase.APP, "");
                var statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("create temporary table x (i int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied to create temporary tables");
        }
    }
}
