package io.ventiapi.platform.finding.internal;

import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingStatus;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface FindingRepository extends JpaRepository<Finding, UUID> {

    List<Finding> findByProjectIdAndFingerprintIn(UUID projectId, Collection<String> fingerprints);

    /** The bound tenant's findings in {@code status} whose triage expired by {@code now}, locked to change them. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<Finding> findByStatusAndTriageExpiresAtLessThanEqual(FindingStatus status, Instant now);

    /** Rows of (project id, severity, status, count). */
    @Query("""
            select f.projectId, f.severity, f.status, count(f) from Finding f
            where f.projectId in :projectIds group by f.projectId, f.severity, f.status""")
    List<Object[]> countByProjectSeverityAndStatus(Collection<UUID> projectIds);
}
