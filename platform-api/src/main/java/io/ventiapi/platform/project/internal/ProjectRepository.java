package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.project.Project;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ProjectRepository extends JpaRepository<Project, UUID> {

    Window<Project> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    Window<Project> findAllByArchivedAtIsNull(ScrollPosition position, Limit limit, Sort sort);

    boolean existsByNameIgnoreCaseAndArchivedAtIsNull(String name);

    boolean existsByNameIgnoreCaseAndArchivedAtIsNullAndIdNot(String name, UUID id);
}
