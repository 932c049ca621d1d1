package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class QueryAdmissionTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void queriesWaitingForTheirTurnRunInTheOrderTheyCame() throws Exception {
        var admission = new QueryAdmission(1, LONG);
        var order = new CopyOnWriteArrayList<String>();
        var release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = hold(threads, admission, release);
            var queued = new ArrayList<Future<String>>();
            for (var name : List.of("a", "b", "c", "d", "e")) {
                int before = admission.waiting();
                queued.add(threads.submit(() -> admission.run(
                        () -> {
                            order.add(name);
                            return name;
                        },
                        () -> "busy")));
                // the next one comes only once this one is in the queue
                waitUntil(() -> admission.waiting() == before + 1);
            }
            release.countDown();

            assertThat(first.get()).isEqualTo("held");
            for (var query : queued) {
                assertThat(query.get()).isNotEqualTo("busy");
            }
        }
        assertThat(order).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void noMoreThanTheLimitRunAtOnce() throws Exception {
        var admission = new QueryAdmission(3, LONG);
        var running = new AtomicInteger();
        var most = new AtomicInteger();
        var release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var queries = new ArrayList<Future<Integer>>();
            for (int i = 0; i < 10; i++) {
                queries.add(threads.submit(() -> admission.run(
                        () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            await(release, "");
                            running.decrementAndGet();
                            return 1;
                        },
                        () -> 0)));
            }
            waitUntil(() -> running.get() == 3 && admission.waiting() == 7);
            release.countDown();
            int ran = 0;
            for (var query : queries) {
                ran += query.get();
            }
            assertThat(ran).isEqualTo(10);
        }
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void aQueryWhoseTurnDoesNotComeInTimeIsAnsweredBusyAndNotRun() throws Exception {
        var admission = new QueryAdmission(1, Duration.ofMillis(50));
        var release = new CountDownLatch(1);
        var ran = new AtomicInteger();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var holder = hold(threads, admission, release);

            var answer = admission.run(
                    () -> {
                        ran.incrementAndGet();
                        return "ran";
                    },
                    () -> "busy");

            assertThat(answer).isEqualTo("busy");
            assertThat(ran).hasValue(0);
            release.countDown();
            assertThat(holder.get()).isEqualTo("held");
        }
        // its place was given back: the next query runs
        assertThat(admission.run(() -> "ran", () -> "busy")).isEqualTo("ran");
    }

    @Test
    void aFailingQueryGivesItsPlaceBack() {
        var admission = new QueryAdmission(1, Duration.ofMillis(50));

        assertThatThrownBy(() -> admission.run(
                        () -> {
                            throw new IllegalStateException("boom");
                        },
                        () -> "busy"))
                .hasMessage("boom");

        assertThat(admission.run(() -> "ran", () -> "busy")).isEqualTo("ran");
    }

    @Test
    void aTicketHoldsItsPlaceFromEnteringUntilLeavingAndGivesItBackOnce() {
        var admission = new QueryAdmission(1, Duration.ofMillis(50));
        var ticket = admission.ticket();
        var other = admission.ticket();

        assertThat(ticket.enter()).isTrue();
        assertThat(ticket.enter()).as("its own place, entered again").isTrue();
        assertThat(admission.run(() -> "ran", () -> "busy")).isEqualTo("busy");
        assertThat(other.enter()).isFalse();
        other.leave();
        ticket.leave();
        ticket.leave();

        assertThat(other.enter()).isTrue();
        assertThat(admission.ticket().enter())
                .as("one place given back, not two")
                .isFalse();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new QueryAdmission(0, LONG)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Starts a query that holds its place until {@code release}, once it holds it. */
    private static Future<String> hold(ExecutorService threads, QueryAdmission admission, CountDownLatch release)
            throws InterruptedException {
        var started = new CountDownLatch(1);
        var holder = threads.submit(() -> admission.run(
                () -> {
                    started.countDown();
                    return await(release, "held");
                },
                () -> "busy"));
        started.await();
        return holder;
    }

    private static String await(CountDownLatch latch, String value) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return value;
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }
}
