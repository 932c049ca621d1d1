package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.sql.Connection;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Changeset 022 keeps the severity a risk was accepted at: acceptances granted before it count at
 * the severity their finding has, so a scan reporting it more severe reopens them too.
 */
class AcceptedSeverityMigrationIT {

    @Test
    void anAcceptanceFromBeforeTheChangesetHoldsAtTheSeverityItsFindingHas() throws Exception {
        var url = LocalDatabase.scratchUrl();
        Migrations.migrateBefore(url, "022-");
        try (var owner = LocalDatabase.asOwner(url)) {
            Migrations.seedScan(owner, "mig-accepted");
            var accepted = insertFinding(owner, "LOW", 1, "ACCEPTED_RISK");
            var open = insertFinding(owner, "HIGH", 3, "OPEN");
            var falsePositive = insertFinding(owner, "MEDIUM", 2, "FALSE_POSITIVE");

            Migrations.migrateAll(url);

            var acceptedAt = new HashMap<UUID, String>();
            try (var rows = owner.createStatement().executeQuery("select id, accepted_severity from findings")) {
                while (rows.next()) {
                    acceptedAt.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
            assertThat(acceptedAt)
                    .hasSize(3)
                    .containsEntry(accepted, "LOW")
                    .containsEntry(open, null)
                    .containsEntry(falsePositive, null);
        }
    }

    private static UUID insertFinding(Connection owner, String severity, int rank, String status) throws Exception {
        var id = UUID.randomUUID();
        try (var insert = owner.prepareStatement("""
                insert into findings (id, tenant_id, project_id, fingerprint, rule_id, title, category, severity,
                                      severity_rank, confidence, method, path, status, first_seen_scan_id,
                                      last_seen_scan_id, first_seen_at, last_seen_at)
                select ?, s.tenant_id, s.project_id, ?, 'venti.bola', 'BOLA', 'API1', ?, ?, 'HIGH', 'GET',
                       '/orders/{id}', ?, s.id, s.id, now(), now()
                from scans s""")) {
            insert.setObject(1, id);
            insert.setString(2, id.toString());
            insert.setString(3, severity);
            insert.setInt(4, rank);
            insert.setString(5, status);
            insert.executeUpdate();
        }
        return id;
    }
}
