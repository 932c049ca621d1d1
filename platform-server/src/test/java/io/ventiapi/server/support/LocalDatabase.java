package io.ventiapi.server.support;

import io.ventiapi.server.devservices.DatabaseRoles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh database on the local PostgreSQL (127.0.0.1:5432 unless {@code VENTI_TEST_PG_*} say
 * otherwise) for this test run, so runs never see each other's data. It creates the owner and
 * runtime roles the platform expects, the way an operator would, and drops the database when
 * the JVM exits.
 */
public final class LocalDatabase {

    public static final String OWNER = DatabaseRoles.OWNER;
    public static final String APP = DatabaseRoles.APP;

    private static final String HOST = env("VENTI_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("VENTI_TEST_PG_PORT", "5432");
    private static final String ADMIN_USER = env("VENTI_TEST_PG_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("VENTI_TEST_PG_PASSWORD", "");

    private static String name;

    private LocalDatabase() {}

    /** The JDBC URL of this run's database, created on first use. */
    public static synchronized String url() {
        if (name == null) {
            name = createDatabase();
        }
        return jdbcUrl(name);
    }

    /**
     * The JDBC URL of another database, created empty and owned by the owner role, dropped when the
     * run ends: for tests that migrate a schema step by step.
     */
    public static String scratchUrl() {
        return jdbcUrl(createDatabase());
    }

    /**
     * A new database owned by the owner role (with the roles, if missing), as the platform creates
     * its own, dropped when the run ends.
     */
    private static String createDatabase() {
        var created =
                "venti_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var admin = admin("postgres")) {
            DatabaseRoles.ensure(admin);
            DatabaseRoles.createDatabase(admin, created);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "the integration tests need the local PostgreSQL on " + HOST + ":" + PORT
                            + " (see STACK.md for how to start it)",
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(created), "drop-test-database"));
        return created;
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** A connection to {@code url} as the owner role. */
    public static Connection asOwner(String url) throws SQLException {
        return DriverManager.getConnection(url, OWNER, ADMIN_PASSWORD);
    }

    /** A connection as the owner role, which row-level security does not bind (for tampering tests). */
    public static Connection asOwner() throws SQLException {
        return asOwner(url());
    }

    /** A connection as the runtime role, the one the application uses. */
    public static Connection asApp() throws SQLException {
        return DriverManager.getConnection(url(), APP, ADMIN_PASSWORD);
    }

    /** A connection to this run's database as the cluster's administrator, for changes no role of the platform may make. */
    public static Connection asAdmin() throws SQLException {
        return admin(url().substring(url().lastIndexOf('/') + 1));
    }

    /**
     * Makes this run's database refuse the runtime role, as a database restarting or out of reach
     * would: new connections are refused and open ones ended. Closing the result lets it back.
     */
    public static AutoCloseable awayForTheApp() throws SQLException {
        AutoCloseable back = () -> {
            try (var admin = asAdmin();
                    var statement = admin.createStatement()) {
                statement.execute("grant connect on database " + admin.getCatalog() + " to public");
            }
        };
        try (var admin = asAdmin();
                var statement = admin.createStatement()) {
            statement.execute("revoke connect on database " + admin.getCatalog() + " from public");
            statement.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where datname = current_database() and usename = '" + APP + "'");
        } catch (SQLException | RuntimeException e) {
            try {
                back.close();
            } catch (Exception again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return back;
    }

    private static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ADMIN_USER, ADMIN_PASSWORD);
    }

    private static void drop(String name) {
        try (var admin = admin("postgres");
                var statement = admin.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        var value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
