package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.FindingFingerprint;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Changeset 017: a finding about the whole target, stored with the fingerprint of the operation it
 * was seen on, takes the engine's new target-wide fingerprint, so the next scan recognises it.
 */
class TargetWideFingerprintMigrationIT {

    @Test
    void theNewestOfEachTargetWideFindingTakesTheFingerprintTheEngineNowReports() throws Exception {
        var url = LocalDatabase.scratchUrl();
        Migrations.migrateBefore(url, "017-");
        try (var owner = LocalDatabase.asOwner(url)) {
            Migrations.seedScan(owner, "mig-w");
            var hstsOld = insert(owner, "misconfig.missing-hsts", "GET", "/health", null, "2 days");
            var hstsNew = insert(owner, "misconfig.missing-hsts", "GET", "/about", null, "1 day");
            var server = insert(owner, "misconfig.version-disclosure", "GET", "/health", "header:Server", "1 day");
            var bola = insert(owner, "access.bola", "GET", "/orders/{id}", null, "1 day");
            // A runner upgraded before the api stored one under the new fingerprint; an older runner
            // saw it again since under the old one.
            var nosniffNew = insert(
                    owner,
                    "misconfig.missing-nosniff",
                    "GET",
                    "/about",
                    null,
                    "2 days",
                    FindingFingerprint.targetWide("misconfig.missing-nosniff", null));
            var nosniffOld = insert(owner, "misconfig.missing-nosniff", "GET", "/health", null, "1 day");

            Migrations.migrateAll(url);

            var stored = fingerprints(owner);
            assertThat(stored.get(hstsNew))
                    .isEqualTo(FindingFingerprint.targetWide("misconfig.missing-hsts", null)
                            .value());
            assertThat(stored.get(server))
                    .isEqualTo(FindingFingerprint.targetWide("misconfig.version-disclosure", "header:Server")
                            .value());
            assertThat(stored.get(hstsOld))
                    .isEqualTo(FindingFingerprint.of("misconfig.missing-hsts", "GET", "/health", null)
                            .value());
            assertThat(stored.get(nosniffNew))
                    .isEqualTo(FindingFingerprint.targetWide("misconfig.missing-nosniff", null)
                            .value());
            assertThat(stored.get(nosniffOld))
                    .isEqualTo(FindingFingerprint.of("misconfig.missing-nosniff", "GET", "/health", null)
                            .value());
            assertThat(stored.get(bola))
                    .isEqualTo(FindingFingerprint.of("access.bola", "GET", "/orders/{id}", null)
                            .value());
        }
    }

    private static UUID insert(
            Connection owner, String rule, String method, String path, String parameter, String seenAgo)
            throws Exception {
        return insert(
                owner, rule, method, path, parameter, seenAgo, FindingFingerprint.of(rule, method, path, parameter));
    }

    private static UUID insert(
            Connection owner,
            String rule,
            String method,
            String path,
            String parameter,
            String seenAgo,
            FindingFingerprint fingerprint)
            throws Exception {
        var id = UUID.randomUUID();
        try (var insert = owner.prepareStatement("""
                insert into findings (id, tenant_id, project_id, fingerprint, rule_id, title, category, severity,
                                      severity_rank, confidence, method, path, parameter, status,
                                      first_seen_scan_id, last_seen_scan_id, first_seen_at, last_seen_at)
                select ?, s.tenant_id, s.project_id, ?, ?, 't', 'API8', 'LOW', 1, 'HIGH', ?, ?, ?, 'OPEN',
                       s.id, s.id, now() - ?::interval, now() - ?::interval
                from scans s""")) {
            insert.setObject(1, id);
            insert.setString(2, fingerprint.value());
            insert.setString(3, rule);
            insert.setString(4, method);
            insert.setString(5, path);
            insert.setString(6, parameter);
            insert.setString(7, seenAgo);
            insert.setString(8, seenAgo);
            insert.executeUpdate();
        }
        return id;
    }

    private static Map<UUID, String> fingerprints(Connection owner) throws Exception {
        var stored = new HashMap<UUID, String>();
        try (var rows = owner.createStatement().executeQuery("select id, fingerprint from findings")) {
            while (rows.next()) {
                stored.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        }
        return stored;
    }
}
