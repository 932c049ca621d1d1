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
        var turns = new ParseTurns(1, 1, Duration.ZERO, "others first: send it again shortly");
        var release = new CountDownLatch(1);
        var large = holdTurn(turns, "acme", release);

        assertBusy(turns, "globex");

        release.countDown();
        assertThat(large.join()).isEqualTo("large document");
        assertThat(turns.run("globex", () -> "small document")).isEqualTo("small document");
        assertThat(turns.partiesInside()).isZero();
    }

    @Test
    void aTenantHoldingItsShareDoesNotTakeTheTurnsLeftToOthers() throws Exception {
        var turns = new ParseTurns(3, 2, Duration.ZERO, "others first: send it again shortly");
        var release = new CountDownLatch(1);
        var first = holdTurn(turns, "acme", release);
        var second = holdTurn(turns, "acme", release);

        assertBusy(turns, "acme");
        assertThat(turns.run("globex", () -> "globex's document")).isEqualTo("globex's document");

        release.countDown();
        first.join();
        second.join();
        assertThat(turns.run("acme", () -> "acme's third")).isEqualTo("acme's third");
        assertThat(turns.partiesInside()).isZero();
    }

    @Test
    void aCheckThatFailsGivesItsTurnBack() {
        var turns = new ParseTurns(1, 1, Duration.ZERO, "others first: send it again shortly");

        assertThatThrownBy(() -> turns.run("acme", () -> {
                    throw new IllegalStateException("unparseable");
                }))
                .hasMessage("unparseable");
        assertThat(turns.run("acme", () -> "next")).isEqualTo("next");
        assertThat(turns.partiesInside()).isZero();
    }

    /** Starts a check for {@code party} that holds its turn until {@code release}; returns once it runs. */
    private static CompletableFuture<String> holdTurn(ParseTurns turns, String party, CountDownLatch release)
            throws InterruptedException {
        var running = new CountDownLatch(1);
        var check = CompletableFuture.supplyAsync(
                () -> turns.run(party, () -> {
                    running.countDown();
                    await(release);
                    return "large document";
                }),
                Thread::startVirtualThread);
        running.await();
        return check;
    }

    private static void assertBusy(ParseTurns turns, String party) {
        assertThatThrownBy(() -> turns.run(party, () -> "small document"))
                .isInstanceOfSatisfying(UserErrorException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.error().message()).isEqualTo("others first: send it again shortly");
                });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
