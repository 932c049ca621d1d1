package io.ventiapi.platform.tenant.internal;

import io.ventiapi.platform.tenant.Tenant;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TenantRepository extends JpaRepository<Tenant, String> {

    Window<Tenant> findAllBy(ScrollPosition position, Limit limit, Sort sort);
}
