package io.ventiapi.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.Eventually;
import io.ventiapi.server.support.GraphQlSubscription;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * How many {@code scanProgress} subscriptions one WebSocket (20) and one tenant (on each replica;
 * {@code venti.graphql.max-subscriptions-per-tenant}, 30 in the tests) may hold open: one more is
 * refused with {@code BUSY}, and a subscription that ends in any way gives its place back. Every
 * open subscription costs its replica a recheck timer and a place in the progress fan-out, so a
 * socket sending endless {@code subscribe} messages must not slow every tenant's progress.
 */
@VentiIntegrationTest
class SubscriptionLimitsIT {

    private static final String PROGRESS = "subscription($id: ID!) { scanProgress(scanId: $id) { status } }";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PER_SOCKET = 20;
    /** {@code venti.graphql.max-subscriptions-per-tenant} in the tests' configuration. */
    private static final int PER_TENANT = 30;

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    private Api api;
    private TestProjects projects;
    private final AtomicInteger ids = new AtomicInteger(100);

    @BeforeEach
    void setUp() {
        api = new Api(port);
        projects = new TestProjects(context);
    }

    @Test
    void aSocketHoldsTwentySubscriptionsAndOneThatEndsGivesItsPlaceBack() {
        var acme = tenants.create("sub-socket");
        var token = fullAccessToken(acme.id());
        // Seeded scans stay queued: the tests run no runner.
        var watched = projects.seed(acme.id(), "Watched", 0).scanId().toString();
        var other = projects.seed(acme.id(), "Other", 0).scanId().toString();

        try (var socket = GraphQlSubscription.open(api.base(), token, PROGRESS, Map.of("id", watched))) {
            assertThat(answer(socket, "1").path("type").asString()).isEqualTo("next");
            var open = new ArrayList<>(List.of("1"));
            while (open.size() < PER_SOCKET) {
                open.add(subscribed(socket, watched));
            }

            var refused = subscribe(socket, other);
            assertThat(refused.path("type").asString()).as(refused.toString()).isEqualTo("error");
            assertThat(refused.at("/payload/0/extensions/code").asString()).isEqualTo("BUSY");
            assertThat(refused.at("/payload/0/message").asString())
                    .contains("20 subscriptions")
                    .contains("WebSocket");

            // The client completes one: its place is free for the next.
            socket.complete(open.remove(3));
            subscribed(socket, other);
            assertThat(subscribe(socket, other).path("type").asString()).isEqualTo("error");

            // The watched scan ends: its nineteen subscriptions complete, and their places are free.
            var cancelled = api.graphql(
                    token,
                    "mutation($id: ID!) { cancelScan(input: {id: $id}) { scan { status } } }",
                    Map.of("id", watched));
            assertThat(cancelled.data("cancelScan.scan.status").asString())
                    .as(cancelled.body())
                    .isEqualTo("CANCELLED");
            var completed = new HashSet<String>();
            while (!completed.containsAll(open)) {
                var message = socket.nextMessage(WAIT);
                if (message.path("type").asString().equals("complete")) {
                    completed.add(message.path("id").asString());
                }
            }
            for (int i = 0; i < PER_SOCKET - 1; i++) {
                subscribed(socket, other);
            }
            assertThat(subscribe(socket, other).path("type").asString()).isEqualTo("error");
        }
    }

    @Test
    void subscriptionsRefusedOrFailedTakeNoPlace() {
        var acme = tenants.create("sub-failed");
        var token = fullAccessToken(acme.id());
        var scan = projects.seed(acme.id(), "Shop", 0).scanId().toString();

        try (var socket = GraphQlSubscription.open(api.base(), token, PROGRESS, Map.of("id", UUID.randomUUID()))) {
            assertThat(answer(socket, "1").toString()).contains("NOT_FOUND");
            for (int i = 0; i < PER_SOCKET + 5; i++) {
                var unknown = subscribe(socket, UUID.randomUUID().toString());
                assertThat(unknown.toString()).contains("NOT_FOUND");
            }
            for (int i = 0; i < PER_SOCKET; i++) {
                subscribed(socket, scan);
            }
        }
    }

    @Test
    void aTenantsSubscriptionsOnAReplicaAreCappedAndAnotherTenantIsNotHeldBack() {
        var acme = tenants.create("sub-tenant");
        var token = fullAccessToken(acme.id());
        var scan = projects.seed(acme.id(), "Shop", 0).scanId().toString();
        var sockets = new ArrayList<GraphQlSubscription>();
        try {
            // Twenty on one socket, ten on a second: the tenant's thirty.
            var full = GraphQlSubscription.open(api.base(), token, PROGRESS, Map.of("id", scan));
            sockets.add(full);
            assertThat(answer(full, "1").path("type").asString()).isEqualTo("next");
            for (int i = 1; i < PER_SOCKET; i++) {
                subscribed(full, scan);
            }
            var second = GraphQlSubscription.open(api.base(), token, PROGRESS, Map.of("id", scan));
            sockets.add(second);
            assertThat(answer(second, "1").path("type").asString()).isEqualTo("next");
            for (int i = 1; i < PER_TENANT - PER_SOCKET; i++) {
                subscribed(second, scan);
            }

            var third = GraphQlSubscription.open(api.base(), token, PROGRESS, Map.of("id", scan));
            sockets.add(third);
            var refused = answer(third, "1");
            assertThat(refused.path("type").asString()).as(refused.toString()).isEqualTo("error");
            assertThat(refused.at("/payload/0/extensions/code").asString()).isEqualTo("BUSY");
            assertThat(refused.at("/payload/0/message").asString()).contains("30 subscriptions", "tenant");

            var globex = tenants.create("sub-other");
            var theirs = projects.seed(globex.id(), "Theirs", 0).scanId().toString();
            var neighbour =
                    GraphQlSubscription.open(api.base(), fullAccessToken(globex.id()), PROGRESS, Map.of("id", theirs));
            sockets.add(neighbour);
            assertThat(answer(neighbour, "1").path("type").asString()).isEqualTo("next");

            // A socket that closes gives back its subscriptions' places (once the server saw it close).
            full.close();
            Eventually.waitFor(
                    WAIT,
                    () -> subscribe(third, scan).path("type").asString().equals("next"),
                    () -> "still refused after the full socket closed");
            for (int i = 1; i < PER_SOCKET; i++) {
                subscribed(third, scan);
            }
        } finally {
            sockets.forEach(GraphQlSubscription::close);
        }
    }

    private String fullAccessToken(TenantId tenant) {
        var client = projects.fullAccessClient(tenant);
        return api.token(client.getKey(), client.getValue());
    }

    /** Subscribes to {@code scanId} under a new id and returns that id, once its first state came. */
    private String subscribed(GraphQlSubscription socket, String scanId) {
        var id = Integer.toString(ids.incrementAndGet());
        socket.subscribe(id, PROGRESS, Map.of("id", scanId));
        var answer = answer(socket, id);
        assertThat(answer.path("type").asString()).as(answer.toString()).isEqualTo("next");
        return id;
    }

    /** Subscribes to {@code scanId} under a new id: its first answer. */
    private JsonNode subscribe(GraphQlSubscription socket, String scanId) {
        var id = Integer.toString(ids.incrementAndGet());
        socket.subscribe(id, PROGRESS, Map.of("id", scanId));
        return answer(socket, id);
    }

    /** The first {@code next} or {@code error} of subscription {@code id}, skipping other subscriptions' messages. */
    private static JsonNode answer(GraphQlSubscription socket, String id) {
        while (true) {
            var message = socket.nextMessage(WAIT);
            var type = message.path("type").asString();
            if (message.path("id").asString().equals(id) && (type.equals("next") || type.equals("error"))) {
                return message;
            }
        }
    }
}
