package io.ventiapi.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenancyTest {

    private final TenantId acme = TenantId.of("acme");

    @Test
    void readingTheTenantWhereNoneIsBoundThrows() {
        assertThatThrownBy(Tenancy::current).isInstanceOf(NoTenantBoundException.class);
        assertThat(Tenancy.find()).isEmpty();
    }

    @Test
    void theBoundTenantIsVisibleInsideTheScopeAndInTheMdcAndGoneAfter() {
        var seen = new AtomicReference<String>();
        Tenancy.run(acme, () -> seen.set(Tenancy.current().value() + "/" + MDC.get(Tenancy.MDC_KEY)));

        assertThat(seen).hasValue("acme/acme");
        assertThat(Tenancy.find()).isEmpty();
        assertThat(MDC.get(Tenancy.MDC_KEY)).isNull();
    }

    @Test
    void nestedScopesRestoreTheOuterTenant() {
        var other = TenantId.of("other");
        String inner = Tenancy.call(
                acme, () -> Tenancy.call(other, () -> Tenancy.current().value()));
        String outerAfter = Tenancy.call(acme, () -> {
            Tenancy.run(other, () -> {});
            return Tenancy.current().value() + "/" + MDC.get(Tenancy.MDC_KEY);
        });

        assertThat(inner).isEqualTo("other");
        assertThat(outerAfter).isEqualTo("acme/acme");
    }

    @Test
    void tenantIdsAreSlugsUsableAsNamespaceNames() {
        assertThat(TenantId.of("acme-corp").namespace()).isEqualTo("venti-t-acme-corp");
        assertThatThrownBy(() -> TenantId.of("Acme")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantId.of("a'; drop table x;--")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantId.of("-acme")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TenantId.isValid("x")).isFalse();
    }
}
