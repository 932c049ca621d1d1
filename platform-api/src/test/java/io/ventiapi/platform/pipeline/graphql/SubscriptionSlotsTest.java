package io.ventiapi.platform.pipeline.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.UserErrorException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class SubscriptionSlotsTest {

    @Test
    void aSocketHoldsTwentyAndAReleasedPlaceIsTakenAgain() {
        var slots = new SubscriptionSlots(100);
        var held = new ArrayList<SubscriptionSlots.Slot>();
        for (int i = 0; i < SubscriptionSlots.PER_SOCKET; i++) {
            held.add(slots.take("socket-1", "acme"));
        }

        assertBusy(() -> slots.take("socket-1", "acme"), "this WebSocket has 20 subscriptions open");
        slots.take("socket-2", "acme");

        // Released twice, freed once.
        held.getFirst().release();
        held.getFirst().release();
        slots.take("socket-1", "acme");
        assertBusy(() -> slots.take("socket-1", "acme"), "this WebSocket");
    }

    @Test
    void aTenantHoldsItsCapOverAllItsSocketsAndOthersAreNotHeldBack() {
        var slots = new SubscriptionSlots(30);
        var first = new ArrayList<SubscriptionSlots.Slot>();
        for (int i = 0; i < 20; i++) {
            first.add(slots.take("socket-1", "acme"));
        }
        for (int i = 0; i < 10; i++) {
            slots.take("socket-2", "acme");
        }

        assertBusy(() -> slots.take("socket-3", "acme"), "your tenant has 30 subscriptions open");
        assertBusy(() -> slots.take(null, "acme"), "your tenant");
        slots.take("socket-4", "globex");

        first.forEach(SubscriptionSlots.Slot::release);
        for (int i = 0; i < 20; i++) {
            slots.take("socket-3", "acme");
        }
    }

    @Test
    void aRefusedSocketTakesNoPlaceOfItsTenant() {
        var slots = new SubscriptionSlots(21);
        for (int i = 0; i < 20; i++) {
            slots.take("socket-1", "acme");
        }
        for (int i = 0; i < 5; i++) {
            assertBusy(() -> slots.take("socket-1", "acme"), "this WebSocket");
        }

        slots.take("socket-2", "acme");
    }

    private static void assertBusy(Runnable take, String message) {
        assertThatThrownBy(take::run).isInstanceOfSatisfying(UserErrorException.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrorCode.BUSY);
            assertThat(e.getMessage()).startsWith(message);
        });
    }
}
