package io.ventiapi.platform.scan.internal;

import io.ventiapi.platform.scan.Scan;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ScanRepository extends JpaRepository<Scan, UUID> {

    /** The scans with these ids, in SQL: see {@code ProjectRepository.findByIds}. */
    @Query(value = "select * from scans where tenant_id = :tenant and id in (:ids)", nativeQuery = true)
    List<Scan> findByIds(String tenant, Collection<UUID> ids);

    Window<Scan> findByProjectId(UUID projectId, ScrollPosition position, Limit limit, Sort sort);

    /** The most recently queued scan of each project. */
    @Query("""
            select s from Scan s where s.projectId in :projectIds
            and s.queuedAt = (select max(t.queuedAt) from Scan t where t.projectId = s.projectId)""")
    List<Scan> findLatest(Collection<UUID> projectIds);
}
