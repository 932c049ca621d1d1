package io.ventiapi.server.finding;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.Migrations;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Changeset 008 moves findings' evidence into a table of its own: a database that holds findings
 * with evidence before it keeps every excerpt after it, each with its finding and tenant.
 */
class FindingEvidenceMigrationIT {

    @Test
    void evidenceStoredBeforeTheMoveIsStillEachFindingsAfterIt() throws Exception {
        var url = LocalDatabase.scratchUrl();
        Migrations.migrateBefore(url, "008-");
        try (var owner = LocalDatabase.asOwner(url)) {
            var withEvidence = UUID.randomUUID();
            var onlyResponse = UUID.randomUUID();
            var without = UUID.randomUUID();
            Migrations.seedScan(owner, "mig-a");
            insertFinding(
                    owner, withEvidence, "GET /orders/2 HTTP/1.1\nAuthorization: [REDACTED]", "HTTP/1.1 200 OK\n{}");
            insertFinding(owner, onlyResponse, null, "HTTP/1.1 500");
            insertFinding(owner, without, null, null);

            Migrations.migrateAll(url);

            assertThat(evidence(owner))
                    .containsExactlyInAnyOrder(
                            List.of(
                                    withEvidence.toString(),
                                    "mig-a",
                                    "GET /orders/2 HTTP/1.1\nAuthorization: [REDACTED]",
                                    "HTTP/1.1 200 OK\n{}"),
                            List.of(onlyResponse.toString(), "mig-a", "", "HTTP/1.1 500"));
            try (var columns = owner.createStatement()
                    .executeQuery("select count(*) from information_schema.columns"
                            + " where table_name = 'findings' and column_name like 'evidence%'")) {
                columns.next();
                assertThat(columns.getInt(1))
                        .as("evidence columns left on findings")
                        .isZero();
            }
        }
    }

    private static void insertFinding(Connection owner, UUID id, String request, String response) throws Exception {
        try (var insert = owner.prepareStatement("""
                insert into findings (id, tenant_id, project_id, fingerprint, rule_id, title, category, severity,
                                      severity_rank, confidence, method, path, evidence_request, evidence_response,
                                      status, first_seen_scan_id, last_seen_scan_id, first_seen_at, last_seen_at)
                select ?, s.tenant_id, s.project_id, ?, 'venti.bola', 'BOLA', 'API1', 'HIGH', 3, 'HIGH', 'GET',
                       '/orders/{id}', ?, ?, 'OPEN', s.id, s.id, now(), now()
                from scans s""")) {
            insert.setObject(1, id);
            insert.setString(2, id.toString());
            insert.setString(3, request);
            insert.setString(4, response);
            insert.executeUpdate();
        }
    }

    private static List<List<String>> evidence(Connection owner) throws Exception {
        var rows = new ArrayList<List<String>>();
        try (var result = owner.createStatement()
                .executeQuery("select finding_id, tenant_id, coalesce(request, ''), response from finding_evidence")) {
            while (result.next()) {
                rows.add(List.of(result.getString(1), result.getString(2), result.getString(3), result.getString(4)));
            }
        }
        return rows;
    }
}
