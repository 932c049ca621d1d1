package io.ventiapi.platform.persistence;

import java.util.ArrayList;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Whether the database role the platform connects as is held by row-level security. A superuser, a
 * role with {@code BYPASSRLS}, or one with the rights of a tenant table's owner is not: every
 * policy would let it through, and only Hibernate's tenant id would keep tenants apart, not the
 * statements written in SQL (the outbox relay's, the spec store's), which would read every
 * tenant's rows. One role for both migrations and the application does that, and nothing else
 * would say so; so the platform refuses to start.
 *
 * <p>A runtime role that may create temporary tables is only warned about. The platform needs none,
 * and a temporary table is what a {@code SECURITY DEFINER} function searching {@code pg_temp} first
 * would read instead of the platform's; but every such function names {@code pg_temp} last
 * (changeset 016), so tenants stay apart. Changeset 021 takes the right away where migrations run
 * as the database's owner; an installation whose database another role owns keeps starting, told
 * what to revoke.
 */
final class RuntimeRoleCheck {

    private RuntimeRoleCheck() {}

    /** Why the connected role must not run the platform, if it must not. */
    static Optional<String> refusal(JdbcClient jdbc) {
        return jdbc.sql("""
                        select current_user as role, r.rolsuper, r.rolbypassrls,
                               (select string_agg(c.relname, ', ' order by c.relname)
                                  from pg_class c
                                  join pg_namespace n on n.oid = c.relnamespace
                                 where c.relkind in ('r', 'p')
                                   and n.nspname = current_schema()
                                   and exists (select 1 from pg_attribute a
                                                where a.attrelid = c.oid and a.attname = 'tenant_id'
                                                  and not a.attisdropped)
                                   and pg_has_role(current_user, c.relowner, 'USAGE')) as owned
                          from pg_roles r
                         where r.rolname = current_user""")
                .query((rs, n) -> {
                    var reasons = new ArrayList<String>();
                    if (rs.getBoolean("rolsuper")) {
                        reasons.add("is a superuser");
                    }
                    if (rs.getBoolean("rolbypassrls")) {
                        reasons.add("may bypass row-level security");
                    }
                    if (rs.getString("owned") != null) {
                        reasons.add("has the rights of the owner of " + rs.getString("owned"));
                    }
                    return reasons.isEmpty()
                            ? Optional.<String>empty()
                            : Optional.of("The database role " + rs.getString("role") + " " + String.join(", ", reasons)
                                    + ", so row-level security would not keep tenants apart. Connect as the runtime"
                                    + " role (spring.datasource.username) and run migrations as the owner role"
                                    + " (spring.liquibase.user); see README, Configuration.");
                })
                .single();
    }

    /** Why the connected role holds a right it should not, though row-level security still holds it. */
    static Optional<String> warning(JdbcClient jdbc) {
        return jdbc.sql("""
                        select current_user as role, current_database() as database,
                               has_database_privilege(current_database(), 'TEMPORARY') as temporary""")
                .query((rs, n) -> rs.getBoolean("temporary")
                        ? Optional.of("The database role " + rs.getString("role") + " may create temporary tables in"
                                + " database " + rs.getString("database") + ", which the platform never needs. As"
                                + " the database's owner, revoke temporary on database " + rs.getString("database")
                                + " from public and from " + rs.getString("role") + "; see README, Database roles.")
                        : Optional.<String>empty())
                .single();
    }
}
