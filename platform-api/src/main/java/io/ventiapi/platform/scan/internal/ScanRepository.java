package io.ventiapi.platform.scan.internal;

import io.ventiapi.platform.scan.Scan;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface ScanRepository extends JpaRepository<Scan, UUID> {

    /**
     * The scan, its row locked until the transaction ends: each change of state reads the state
     * it changes from, so a cancel and the scan's end cannot both win.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from Scan s where s.id = :id")
    Optional<Scan> findForUpdate(UUID id);

    /** How many of the bound tenant's scans are queued or running. */
    @Query("""
            select count(s) from Scan s
            where s.status in (io.ventiapi.platform.scan.ScanStatus.QUEUED, io.ventiapi.platform.scan.ScanStatus.RUNNING)""")
    long countActive();

    /** The project's queued and running scans, in id order, their rows locked (see {@link #findForUpdate}). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("""
            select s from Scan s where s.projectId = :projectId
            and s.status in (io.ventiapi.platform.scan.ScanStatus.QUEUED, io.ventiapi.platform.scan.ScanStatus.RUNNING)
            order by s.id""")
    List<Scan> findActiveForUpdate(UUID projectId);

    /** The ids of the bound tenant's queued and running scans, in id order. */
    @Query("""
            select s.id from Scan s
            where s.status in (io.ventiapi.platform.scan.ScanStatus.QUEUED, io.ventiapi.platform.scan.ScanStatus.RUNNING)
            order by s.id""")
    List<UUID> findActiveIds();

    /** The running scans that started before {@code before}, oldest first. */
    @Query("""
            select s.id from Scan s where s.status = io.ventiapi.platform.scan.ScanStatus.RUNNING
            and s.startedAt < :before order by s.startedAt""")
    List<UUID> findRunningStartedBefore(Instant before, Limit limit);

    /** The scans with these ids, in SQL: see {@code ProjectRepository.findByIds}. */
    @Query(value = "select * from scans where tenant_id = :tenant and id in (:ids)", nativeQuery = true)
    List<Scan> findByIds(String tenant, Collection<UUID> ids);

    /**
     * Up to {@code rows} scans of each of these projects, newest first: every one when {@code
     * first}, else those queued before the scan ({@code afterQueuedAt}, {@code afterId}). In SQL,
     * one statement for a page of projects: see {@code findByIds}.
     */
    @Query(value = """
                    select s.* from projects p cross join lateral (
                        select * from scans where tenant_id = p.tenant_id and project_id = p.id
                        and (:first or (queued_at, id) < (:afterQueuedAt, :afterId))
                        order by queued_at desc, id desc limit :rows) s
                    where p.tenant_id = :tenant and p.id in (:projectIds)
                    order by s.project_id, s.queued_at desc, s.id desc""", nativeQuery = true)
    List<Scan> findPages(
            String tenant, Collection<UUID> projectIds, boolean first, Instant afterQueuedAt, UUID afterId, int rows);

    /**
     * Adds to a scan's counts in place: recorders of the same scan on other replicas, and whoever
     * changes its state meanwhile, lose nothing of each other's.
     */
    @Modifying
    @Query(value = """
            update scans set info_count = info_count + :info, low_count = low_count + :low,
                medium_count = medium_count + :medium, high_count = high_count + :high,
                critical_count = critical_count + :critical
            where tenant_id = :tenant and id = :id""", nativeQuery = true)
    int addFindings(String tenant, UUID id, int info, int low, int medium, int high, int critical);

    /** The most recently queued scan of each project. */
    @Query("""
            select s from Scan s where s.projectId in :projectIds
            and s.queuedAt = (select max(t.queuedAt) from Scan t where t.projectId = s.projectId)""")
    List<Scan> findLatest(Collection<UUID> projectIds);
}
