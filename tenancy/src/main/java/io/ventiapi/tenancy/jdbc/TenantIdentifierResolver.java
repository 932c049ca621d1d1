package io.ventiapi.tenancy.jdbc;

import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import org.hibernate.context.spi.CurrentTenantIdentifierResolver;

/**
 * Feeds Hibernate's {@code @TenantId} discriminator from the tenant context. Unbound, it answers
 * the empty string, which matches no row and which row-level security refuses on insert.
 */
public final class TenantIdentifierResolver implements CurrentTenantIdentifierResolver<String> {

    @Override
    public String resolveCurrentTenantIdentifier() {
        return Tenancy.find().map(TenantId::value).orElse("");
    }

    @Override
    public boolean validateExistingCurrentSessions() {
        return false;
    }
}
