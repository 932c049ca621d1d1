package io.ventiapi.tenancy;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;

/**
 * Adds the bound tenant to every observation as the high-cardinality key {@value Tenancy#MDC_KEY}:
 * it reaches traces and logs, not metric tags (a tag per tenant would multiply every series).
 */
public final class TenantObservationFilter implements ObservationFilter {

    @Override
    public Observation.Context map(Observation.Context context) {
        Tenancy.find()
                .ifPresent(tenant -> context.addHighCardinalityKeyValue(
                        io.micrometer.common.KeyValue.of(Tenancy.MDC_KEY, tenant.value())));
        return context;
    }
}
