package io.ventiapi.platform.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.UserErrorException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ParseTurnsTest {

    @Test
    void aCheckWhoseTurnDoesNotComeIsRefusedAsBusyAndTheNextOneRuns() throws Exception {
        var turns = new ParseTurns(1, Duration.ZERO, "others first: send it again shortly");
        var checking = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var large = CompletableFuture.supplyAsync(() -> turns.run(() -> {
            checking.countDown();
            await(release);
            return "large document";
        }));
        checking.await();

        assertThatThrownBy(() -> turns.run(() -> "small document"))
                .isInstanceOfSatisfying(UserErrorException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.error().message()).isEqualTo("others first: send it again shortly");
                });

        release.countDown();
        assertThat(large.join()).isEqualTo("large document");
        assertThat(turns.run(() -> "small document")).isEqualTo("small document");
    }

    @Test
    void aCheckThatFailsGivesItsTurnBack() {
        var turns = new ParseTurns(1, Duration.ZERO, "others first: send it again shortly");

        assertThatThrownBy(() -> turns.run(() -> {
                    throw new IllegalStateException("unparseable");
                }))
                .hasMessage("unparseable");
        assertThat(turns.run(() -> "next")).isEqualTo("next");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
