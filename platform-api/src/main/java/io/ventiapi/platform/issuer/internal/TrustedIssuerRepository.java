package io.ventiapi.platform.issuer.internal;

import io.ventiapi.platform.issuer.TrustedIssuer;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TrustedIssuerRepository extends JpaRepository<TrustedIssuer, UUID> {

    Window<TrustedIssuer> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    boolean existsByIssuerUri(String issuerUri);
}
