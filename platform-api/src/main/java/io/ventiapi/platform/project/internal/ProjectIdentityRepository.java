package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.project.ProjectIdentity;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ProjectIdentityRepository extends JpaRepository<ProjectIdentity, UUID> {

    List<ProjectIdentity> findByProjectIdInOrderByProjectIdAscPositionAsc(Collection<UUID> projectIds);

    List<ProjectIdentity> findByProjectIdOrderByPositionAsc(UUID projectId);

    /**
     * The bound tenant's identities sealed with another master key or an earlier binding, locked
     * for sealing again.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from ProjectIdentity i where i.encryptionKeyId <> :keyId or i.sealedBinding < :binding")
    List<ProjectIdentity> findSealedOtherwise(String keyId, int binding);

    /** The tenants holding identities {@link #findSealedOtherwise} finds, across every tenant. */
    @Query(value = "select tenant_id from venti_identities_to_reseal(:keyId, :binding)", nativeQuery = true)
    List<String> tenantsSealedOtherwise(String keyId, int binding);
}
