package io.ventiapi.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.tenant.Tenant;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;

class KeysetsTest {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("queuedAt"), Sort.Order.desc("id"));

    @Test
    void theFirstPageAndCursorsThisListWroteAreTaken() {
        assertThat(Keysets.checked(ScrollPosition.keyset(), NEWEST_FIRST, Scan.class))
                .isEqualTo(ScrollPosition.keyset());
        var written = ScrollPosition.forward(Map.of("queuedAt", Instant.now(), "id", UUID.randomUUID()));
        assertThat(Keysets.checked(written, NEWEST_FIRST, Scan.class)).isSameAs(written);
        var tenants = ScrollPosition.forward(Map.of("createdAt", Instant.now(), "id", "acme"));
        assertThat(Keysets.checked(tenants, Sort.by("createdAt", "id"), Tenant.class))
                .isSameAs(tenants);
    }

    @Test
    void anythingElseIsRefusedAsInput() {
        for (var position : new ScrollPosition[] {
            ScrollPosition.offset(2_147_483_647L),
            ScrollPosition.forward(Map.of("queuedAt", "2026", "id", "1")),
            ScrollPosition.forward(Map.of(
                    "rank",
                    4,
                    "seen",
                    "2026-01-01T00:00:00Z",
                    "id",
                    UUID.randomUUID().toString())),
            ScrollPosition.forward(Map.of("queuedAt", Instant.now())),
            ScrollPosition.forward(Map.of("queuedAt", Instant.now(), "id", UUID.randomUUID(), "extra", 1))
        }) {
            assertThatThrownBy(() -> Keysets.checked(position, NEWEST_FIRST, Scan.class))
                    .as(position.toString())
                    .isInstanceOfSatisfying(
                            UserErrorException.class,
                            e -> assertThat(e.getMessage()).contains("not a cursor of this list"));
        }
    }
}
