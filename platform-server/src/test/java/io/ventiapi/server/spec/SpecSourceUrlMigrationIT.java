package io.ventiapi.server.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Changeset 010: a spec version fetched from a presigned URL before the platform stripped query
 * strings no longer shows its access token after the upgrade; other versions keep their URL.
 */
class SpecSourceUrlMigrationIT {

    @Test
    void storedUrlsLoseTheirQueryAndFragmentAndNothingElse() throws Exception {
        var url = LocalDatabase.scratchUrl();
        Migrations.migrateBefore(url, "010-");
        try (var owner = LocalDatabase.asOwner(url)) {
            try (var sql = owner.createStatement()) {
                sql.execute("""
                        insert into tenants (id, name, plan, status) values ('mig-s', 'S', 'TEAM', 'ACTIVE');
                        insert into projects (id, tenant_id, name, target_url, environment, scanner_kinds,
                                              default_profile, rate_limit, request_budget, created_at, updated_at)
                        values (gen_random_uuid(), 'mig-s', 'Shop', 'https://shop.example.com', 'staging', 'venti',
                                'STANDARD', 50, 10000, now(), now());
                        insert into spec_versions (id, tenant_id, project_id, version, content_hash, openapi_version,
                                                   title, source, source_url, size_bytes, operation_count, warnings,
                                                   created_at)
                        select gen_random_uuid(), tenant_id, id, v.version, 'h' || v.version, '3.0.3', 'Shop',
                               v.source, v.source_url, 1, 1, '[]', now()
                        from projects,
                             (values (1, 'URL', 'https://bucket.example.com/shop.yaml?X-Amz-Signature=abc123&X-Amz-Expires=60'),
                                     (2, 'URL', 'https://docs.example.com/shop.json#/paths'),
                                     (3, 'URL', 'https://docs.example.com/v2/shop.json'),
                                     (4, 'UPLOAD', null)) as v (version, source, source_url)""");
            }

            Migrations.migrateAll(url);

            var stored = new HashMap<Integer, String>();
            try (var rows = owner.createStatement()
                    .executeQuery("select version, coalesce(source_url, '-') from spec_versions")) {
                while (rows.next()) {
                    stored.put(rows.getInt(1), rows.getString(2));
                }
            }
            assertThat(stored)
                    .isEqualTo(Map.of(
                            1, "https://bucket.example.com/shop.yaml",
                            2, "https://docs.example.com/shop.json",
                            3, "https://docs.example.com/v2/shop.json",
                            4, "-"));
        }
    }
}
