package io.ventiapi.platform.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A change that the database refuses only when it is written, at commit, after its audit event
 * was recorded: the caller sees the database's error as Spring reports it (which the scan event
 * persister retries), and the event is not written.
 */
@VentiIntegrationTest
class CommitFailureIT {

    @Autowired
    TestTenants tenants;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    EntityManager entityManager;

    @Autowired
    AuditLog audit;

    @Test
    void aChangeRefusedAtCommitFailsAsADataAccessExceptionAndLeavesNoEvent() throws Exception {
        var acme = tenants.create("commit-fail");

        // A scan of a project that does not exist: its foreign key fails when it is flushed.
        assertThatThrownBy(() -> SystemActor.run(
                        acme.id(),
                        () -> tx.executeWithoutResult(status -> {
                            entityManager.persist(new Scan(
                                    UUID.randomUUID(),
                                    UUID.randomUUID(),
                                    ScanProfile.SAFE,
                                    List.of("venti"),
                                    "test",
                                    Instant.now()));
                            audit.record("test.commitFailure", "Scan", "none", Map.of());
                        })))
                .isInstanceOf(DataAccessException.class);

        try (var owner = LocalDatabase.asOwner();
                var events = owner.prepareStatement(
                        "select count(*) from audit_events where tenant_id = ? and action = 'test.commitFailure'")) {
            events.setString(1, acme.id().value());
            try (var rows = events.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }
}
