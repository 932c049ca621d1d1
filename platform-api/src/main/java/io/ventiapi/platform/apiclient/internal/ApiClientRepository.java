package io.ventiapi.platform.apiclient.internal;

import io.ventiapi.platform.apiclient.ApiClient;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ApiClientRepository extends JpaRepository<ApiClient, UUID> {

    Window<ApiClient> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    long countByRevokedAtIsNull();
}
