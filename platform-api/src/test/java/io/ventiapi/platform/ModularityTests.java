package io.ventiapi.platform;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Feature packages talk through each other's root packages only, and without cycles. */
class ModularityTests {

    @Test
    void featureModulesRespectTheirBoundaries() {
        ApplicationModules.of("io.ventiapi.platform").verify();
    }
}
