package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.spec.SpecVersion;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface SpecVersionRepository extends JpaRepository<SpecVersion, UUID> {

    Window<SpecVersion> findByProjectId(UUID projectId, ScrollPosition position, Limit limit, Sort sort);

    Optional<SpecVersion> findByProjectIdAndContentHash(UUID projectId, String contentHash);

    Optional<SpecVersion> findFirstByProjectIdOrderByVersionDesc(UUID projectId);

    /** The newest version of each project. */
    @Query("""
            select v from SpecVersion v where v.projectId in :projectIds
            and v.version = (select max(w.version) from SpecVersion w where w.projectId = v.projectId)""")
    List<SpecVersion> findLatest(Collection<UUID> projectIds);
}
