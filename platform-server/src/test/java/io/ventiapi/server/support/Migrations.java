package io.ventiapi.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Runs the platform's changelog step by step on a scratch database, for tests that hold data
 * from before a changeset and check what it became after.
 */
public final class Migrations {

    private static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    private Migrations() {}

    /** Applies the changesets of every file before the one whose name starts with {@code prefix}. */
    public static void migrateBefore(String url, String prefix) throws Exception {
        migrate(url, changesetsBefore(prefix));
    }

    /** Applies every changeset not applied yet. */
    public static void migrateAll(String url) throws Exception {
        migrate(url, Integer.MAX_VALUE);
    }

    @SuppressWarnings("deprecation") // Liquibase's update by count; the command API needs a dozen arguments for it
    private static void migrate(String url, int changesets) throws Exception {
        try (var owner = LocalDatabase.asOwner(url)) {
            var database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(owner));
            var liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            liquibase.setChangeLogParameter("app_role", LocalDatabase.APP);
            liquibase.update(changesets, "");
        }
    }

    /** How many changesets the files before the one named {@code prefix} hold, in the master's order. */
    private static int changesetsBefore(String prefix) throws IOException {
        var loader = Migrations.class.getClassLoader();
        int count = 0;
        try (var master = loader.getResourceAsStream(CHANGELOG)) {
            for (var line : new String(master.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList()) {
                var file = line.strip();
                if (!file.startsWith("file: ")) {
                    continue;
                }
                var path = file.substring("file: ".length());
                if (path.substring(path.lastIndexOf('/') + 1).startsWith(prefix)) {
                    return count;
                }
                try (var changelog = loader.getResourceAsStream(path)) {
                    count += (int) new String(changelog.readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> l.startsWith("--changeset "))
                            .count();
                }
            }
        }
        throw new IllegalStateException("no changelog file starts with " + prefix);
    }

    /**
     * A tenant with one project, one spec version and one succeeded scan, written as the schema
     * holds them from changeset 003 on, for a test's findings to belong to.
     */
    public static void seedScan(java.sql.Connection owner, String tenant) throws java.sql.SQLException {
        try (var insert = owner.prepareStatement("""
                insert into tenants (id, name, plan, status) values (?, 'Tenant', 'TEAM', 'ACTIVE');
                insert into projects (id, tenant_id, name, target_url, environment, scanner_kinds,
                                      default_profile, rate_limit, request_budget, created_at, updated_at)
                values (gen_random_uuid(), ?, 'Shop', 'https://shop.example.com', 'staging', 'venti',
                        'STANDARD', 50, 10000, now(), now());
                insert into spec_versions (id, tenant_id, project_id, version, content_hash, openapi_version,
                                           title, source, size_bytes, operation_count, warnings, created_at)
                select gen_random_uuid(), tenant_id, id, 1, 'h', '3.0.3', 'Shop', 'UPLOAD', 1, 1, '[]', now()
                from projects where tenant_id = ?;
                insert into scans (id, tenant_id, project_id, spec_version_id, profile, status, progress,
                                   requested_by, queued_at)
                select gen_random_uuid(), tenant_id, project_id, id, 'STANDARD', 'SUCCEEDED', 100, 'm', now()
                from spec_versions where tenant_id = ?""")) {
            for (int i = 1; i <= 4; i++) {
                insert.setString(i, tenant);
            }
            insert.execute();
        }
    }
}
