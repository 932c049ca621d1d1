package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.project.Project;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ProjectRepository extends JpaRepository<Project, UUID> {

    /**
     * The projects with these ids, in SQL: batch loads run on every page of findings, and
     * Hibernate does not cache the translation of JPQL on tenant-owned entities. The tenant is
     * named here as Hibernate's tenant filter would; row-level security applies as well.
     */
    @Query(value = "select * from projects where tenant_id = :tenant and id in (:ids)", nativeQuery = true)
    List<Project> findByIds(String tenant, Collection<UUID> ids);

    /** The project, locked against concurrent changes (an update, an archive, a scan's start). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Project p where p.id = :id")
    Optional<Project> findForUpdate(UUID id);

    /** The project, locked against changes while work is attached to it (a scan, a spec). */
    @Lock(LockModeType.PESSIMISTIC_READ)
    @Query("select p from Project p where p.id = :id")
    Optional<Project> findForShare(UUID id);

    Window<Project> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    Window<Project> findAllByArchivedAtIsNull(ScrollPosition position, Limit limit, Sort sort);

    boolean existsByNameIgnoreCaseAndArchivedAtIsNull(String name);

    long countByArchivedAtIsNull();

    boolean existsByNameIgnoreCaseAndArchivedAtIsNullAndIdNot(String name, UUID id);
}
