package io.ventiapi.platform.tenant;

import io.ventiapi.tenancy.TenantId;

/**
 * A tenant was suspended: published once the suspension committed, with that tenant bound and no
 * transaction under way, so that listeners stop what it has running (its scans). The suspension
 * authorized what they do.
 */
public record TenantSuspended(TenantId tenant) {}
