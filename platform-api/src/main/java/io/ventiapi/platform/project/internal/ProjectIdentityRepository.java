package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.project.ProjectIdentity;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ProjectIdentityRepository extends JpaRepository<ProjectIdentity, UUID> {

    List<ProjectIdentity> findByProjectIdInOrderByProjectIdAscPositionAsc(Collection<UUID> projectIds);

    List<ProjectIdentity> findByProjectIdOrderByPositionAsc(UUID projectId);
}
