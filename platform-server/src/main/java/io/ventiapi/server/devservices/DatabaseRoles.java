package io.ventiapi.server.devservices;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The two database roles the platform expects (README, "Database roles"), and its database as an
 * operator creates it: {@value #OWNER} owns the schema and runs migrations, {@value #APP} is the
 * application at run time and owns nothing, so row-level security binds it.
 */
public final class DatabaseRoles {

    public static final String OWNER = "venti_owner";
    public static final String APP = "venti_app";

    private DatabaseRoles() {}

    /** Creates both roles (password-less logins, for trust-authenticated local servers) if missing. */
    public static void ensure(Connection superuser) throws SQLException {
        try (var statement = superuser.createStatement()) {
            statement.execute("""
                    do $$ begin
                      if not exists (select from pg_roles where rolname = 'venti_owner') then
                        create role venti_owner login;
                      end if;
                      if not exists (select from pg_roles where rolname = 'venti_app') then
                        create role venti_app login;
                      end if;
                    end $$""");
        }
    }

    /**
     * Creates a database owned by {@value #OWNER}, in which no role but the owner may create
     * temporary tables: PostgreSQL lets every role do so in a new database, the runtime role needs
     * none, and one is what a {@code SECURITY DEFINER} function searching {@code pg_temp} first would
     * read (changesets 016 and 021).
     */
    public static void createDatabase(Connection superuser, String name) throws SQLException {
        try (var statement = superuser.createStatement()) {
            statement.execute("create database " + name + " owner " + OWNER);
            statement.execute("revoke temporary on database " + name + " from public");
        }
    }
}
