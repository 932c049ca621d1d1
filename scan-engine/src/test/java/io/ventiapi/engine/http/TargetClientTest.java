package io.ventiapi.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.demotarget.OutOfScopeServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scope, redirects, 429 back-off, concurrency and the request budget of the one client that talks to targets. */
class TargetClientTest {

    /** The concurrency of {@link #client}. */
    private static final int IN_FLIGHT = 4;

    private HttpServer server;
    private OutOfScopeServer outOfScope;
    private final List<Long> throttledArrivals = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    /** Holds requests to /held until the test opens it. */
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        outOfScope = new OutOfScopeServer();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/held", ex -> {
            try (ex) {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                int status = 204;
                try {
                    if (!gate.await(10, TimeUnit.SECONDS)) {
                        status = 500;
                    }
                } catch (InterruptedException stopping) {
                    status = 500;
                } finally {
                    inside.decrementAndGet();
                }
                ex.sendResponseHeaders(status, -1);
            }
        });
        server.createContext("/ok", ex -> {
            try (ex) {
                byte[] body = "fine".getBytes();
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.createContext("/away", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + outOfScope.port() + "/stolen");
                ex.sendResponseHeaders(302, -1);
            }
        });
        server.createContext("/moved", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Location", "/ok");
                ex.sendResponseHeaders(301, -1);
            }
        });
        server.createContext("/busy", ex -> {
            try (ex) {
                throttledArrivals.add(System.nanoTime());
                if (throttled.getAndIncrement() == 0) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                    ex.sendResponseHeaders(429, -1);
                } else {
                    ex.sendResponseHeaders(204, -1);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        outOfScope.close();
    }

    private TargetClient client(int budget) {
        URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new TargetClient(
                target, new ExecutionLimits(IN_FLIGHT, 0, budget, Duration.ofMinutes(1), Duration.ofSeconds(5)));
    }

    private static ProbeRequest get(String path) {
        return new ProbeRequest("GET", path, Map.of(), null);
    }

    @Test
    void doesNotFollowRedirectsToAnotherOrigin() {
        try (TargetClient client = client(10)) {
            ProbeResponse response = client.send(get("/away"));

            assertThat(response.status()).isEqualTo(302);
            assertThat(outOfScope.hits()).isZero();
        }
    }

    @Test
    void followsRedirectsWithinTheTargetOrigin() {
        try (TargetClient client = client(10)) {
            ProbeResponse response = client.send(get("/moved"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("fine");
        }
    }

    @Test
    void refusesToBuildAUrlOutsideTheTarget() {
        try (TargetClient client = client(10)) {
            assertThat(client.resolve("//evil.example/x").getHost()).isEqualTo("127.0.0.1");
            assertThatThrownBy(() -> client.send(new ProbeRequest("GET", "/@evil.example:80\\x y", Map.of(), null)))
                    .isInstanceOf(OutOfScopeException.class);
        }
    }

    @Test
    void refusesAHeaderHttpCannotCarryWithoutQuotingItOrSpendingBudget() {
        try (TargetClient client = client(10)) {
            var request = new ProbeRequest("GET", "/moved", Map.of("Authorization", "Bearer s3cret\r\nX: y"), null);
            assertThatThrownBy(() -> client.send(request))
                    .isInstanceOf(UnsendableRequestException.class)
                    .hasMessageContaining("Authorization")
                    .hasMessageNotContaining("s3cret");
            assertThat(client.requestsSent()).isZero();
        }
    }

    @Test
    void waitsForRetryAfterThenRetries() {
        try (TargetClient client = client(10)) {
            ProbeResponse response = client.send(get("/busy"));

            assertThat(response.status()).isEqualTo(204);
            assertThat(throttledArrivals).hasSize(2);
            // The target asked for one second; the retry must not come sooner (generous lower bound).
            assertThat(Duration.ofNanos(throttledArrivals.get(1) - throttledArrivals.get(0)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(client.requestsSent()).isEqualTo(2);
        }
    }

    @Test
    void neverHasMoreRequestsInFlightThanItsConcurrency() throws Exception {
        var statuses = new CopyOnWriteArrayList<Integer>();
        try (TargetClient client = client(100);
                var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4 * IN_FLIGHT; i++) {
                workers.submit(() -> statuses.add(client.send(get("/held")).status()));
            }
            while (inside.get() < IN_FLIGHT) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // room for any request beyond the limit to arrive
            gate.countDown();
        }

        assertThat(statuses).hasSize(4 * IN_FLIGHT).containsOnly(204);
        assertThat(mostInside.get()).isEqualTo(IN_FLIGHT);
    }

    @Test
    void stopsWhenTheBudgetIsUsedUp() {
        try (TargetClient client = client(3)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(get("/ok")).status()).isEqualTo(200);
            }
            assertThatThrownBy(() -> client.send(get("/ok")))
                    .isInstanceOf(ScanStoppedException.class)
                    .extracting(e -> ((ScanStoppedException) e).limit())
                    .isEqualTo(ScanStoppedException.Limit.BUDGET);
        }
    }

    @Test
    void reportsAnUnreachableTargetClearly() {
        TargetClient client =
                new TargetClient(URI.create("http://127.0.0.1:" + outOfScope.port()), ExecutionLimits.defaults());
        outOfScope.close();
        try (client) {
            assertThatThrownBy(() -> client.send(get("/")))
                    .isInstanceOf(TargetUnreachableException.class)
                    .hasMessageContaining("connection refused");
        }
    }
}
