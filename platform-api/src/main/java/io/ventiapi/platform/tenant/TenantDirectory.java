package io.ventiapi.platform.tenant;

import io.ventiapi.tenancy.TenantId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Answers, at the edge of every request, whether a tenant exists and may act. Not cached:
 * suspending a tenant takes effect on every replica at the next request.
 */
@Component
public class TenantDirectory {

    private final JdbcClient jdbc;

    TenantDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<TenantStatus> status(TenantId tenant) {
        return jdbc.sql("select status from tenants where id = ?")
                .param(tenant.value())
                .query(String.class)
                .optional()
                .map(TenantStatus::valueOf);
    }
}
