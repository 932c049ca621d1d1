package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.spec.SpecVersion;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface SpecVersionRepository extends JpaRepository<SpecVersion, UUID> {

    /**
     * Up to {@code rows} versions of each of these projects, newest first: every one when {@code
     * first}, else those before version {@code afterVersion} ({@code afterId}). In SQL, one
     * statement for a page of projects, the tenant named as {@code ProjectRepository.findByIds} does.
     */
    @Query(value = """
                    select v.* from projects p cross join lateral (
                        select * from spec_versions where tenant_id = p.tenant_id and project_id = p.id
                        and (:first or (version, id) < (:afterVersion, :afterId))
                        order by version desc, id desc limit :rows) v
                    where p.tenant_id = :tenant and p.id in (:projectIds)
                    order by v.project_id, v.version desc, v.id desc""", nativeQuery = true)
    List<SpecVersion> findPages(
            String tenant, Collection<UUID> projectIds, boolean first, int afterVersion, UUID afterId, int rows);

    Optional<SpecVersion> findByProjectIdAndContentHash(UUID projectId, String contentHash);

    Optional<SpecVersion> findFirstByProjectIdOrderByVersionDesc(UUID projectId);

    /** The newest version of each project. */
    @Query("""
            select v from SpecVersion v where v.projectId in :projectIds
            and v.version = (select max(w.version) from SpecVersion w where w.projectId = v.projectId)""")
    List<SpecVersion> findLatest(Collection<UUID> projectIds);
}
