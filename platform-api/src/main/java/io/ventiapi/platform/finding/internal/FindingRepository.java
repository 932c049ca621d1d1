package io.ventiapi.platform.finding.internal;

import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingStatus;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface FindingRepository extends JpaRepository<Finding, UUID> {

    /*
     * Whatever changes a finding reads it locked, so a triage, a scan's recording and the expiry
     * sweep see each other's changes instead of writing back what they read. Several rows are
     * locked in id order, so two of them never wait on each other.
     */

    /** The project's findings with these fingerprints, locked to change them. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<Finding> findByProjectIdAndFingerprintInOrderByIdAsc(UUID projectId, Collection<String> fingerprints);

    /**
     * The first {@code limit} of the bound tenant's findings in {@code status} whose triage expired
     * by {@code now}, by id, locked to change them.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<Finding> findByStatusAndTriageExpiresAtLessThanEqualOrderByIdAsc(
            FindingStatus status, Instant now, Limit limit);

    /** One finding, locked to change it. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select f from Finding f where f.id = :id")
    Optional<Finding> findForUpdate(UUID id);

    /** Rows of (project id, severity, status, count). */
    @Query("""
            select f.projectId, f.severity, f.status, count(f) from Finding f
            where f.projectId in :projectIds group by f.projectId, f.severity, f.status""")
    List<Object[]> countByProjectSeverityAndStatus(Collection<UUID> projectIds);
}
