package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.project.ProjectIdentity;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

public interface ProjectIdentityRepository extends JpaRepository<ProjectIdentity, UUID> {

    List<ProjectIdentity> findByProjectIdInOrderByProjectIdAscPositionAsc(Collection<UUID> projectIds);

    List<ProjectIdentity> findByProjectIdOrderByPositionAsc(UUID projectId);

    /** The bound tenant's identities sealed with another master key, locked for re-sealing. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<ProjectIdentity> findByEncryptionKeyIdNot(String keyId);
}
