package io.ventiapi.platform.finding.internal;

import io.ventiapi.platform.finding.FindingEvidence;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface FindingEvidenceRepository extends JpaRepository<FindingEvidence, UUID> {}
