package io.ventiapi.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

class TenantObservationFilterTest {

    private final TenantObservationFilter filter = new TenantObservationFilter();

    @Test
    void observationsInATenantsScopeCarryItAsAHighCardinalityKey() {
        var context = Tenancy.call(TenantId.of("acme"), () -> filter.map(new Observation.Context()));

        assertThat(context.getHighCardinalityKeyValue(Tenancy.MDC_KEY).getValue())
                .isEqualTo("acme");
        assertThat(context.getLowCardinalityKeyValue(Tenancy.MDC_KEY)).isNull();
    }

    @Test
    void observationsOutsideAnyTenantCarryNone() {
        assertThat(filter.map(new Observation.Context()).getHighCardinalityKeyValue(Tenancy.MDC_KEY))
                .isNull();
    }
}
