package io.ventiapi.server.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One GraphQL subscription over WebSocket, speaking the graphql-transport-ws protocol as a
 * customer's client would: {@code connection_init}, {@code subscribe}, then {@code next} messages
 * until {@code complete} or {@code error}. The bearer token goes in the upgrade request.
 */
public final class GraphQlSubscription implements AutoCloseable {

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    private GraphQlSubscription(WebSocket socket) {
        this.socket = socket;
    }

    /** Opens the socket, acknowledges the connection and subscribes. */
    public static GraphQlSubscription open(String base, String token, String query, Map<String, ?> variables) {
        return open(base, token, query, variables, null);
    }

    /** The same, naming the operation ({@code ""} is how some clients send none). */
    public static GraphQlSubscription open(
            String base, String token, String query, Map<String, ?> variables, String operationName) {
        var listener = new Collector();
        var socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .subprotocols("graphql-transport-ws")
                .buildAsync(URI.create(base.replace("http://", "ws://") + "/graphql"), listener)
                .join();
        var subscription = new GraphQlSubscription(socket);
        listener.target = subscription;
        socket.sendText("{\"type\":\"connection_init\",\"payload\":{}}", true).join();
        var ack = subscription.nextMessage(Duration.ofSeconds(10));
        if (!"connection_ack".equals(ack.path("type").asString())) {
            throw new AssertionError("no connection_ack: " + ack);
        }
        var payload = new LinkedHashMap<String, Object>(Map.of("query", query, "variables", variables));
        if (operationName != null) {
            payload.put("operationName", operationName);
        }
        var subscribe = Map.of("id", "1", "type", "subscribe", "payload", payload);
        socket.sendText(Api.JSON.writeValueAsString(subscribe), true).join();
        return subscription;
    }

    /** Sends another subscription over the same socket, under {@code id}. */
    public void subscribe(String id, String query, Map<String, ?> variables) {
        var subscribe =
                Map.of("id", id, "type", "subscribe", "payload", Map.of("query", query, "variables", variables));
        socket.sendText(Api.JSON.writeValueAsString(subscribe), true).join();
    }

    /** Ends the subscription {@code id} on this socket, as a client done with it does. */
    public void complete(String id) {
        socket.sendText(Api.JSON.writeValueAsString(Map.of("id", id, "type", "complete")), true)
                .join();
    }

    /** The next protocol message ({@code next}, {@code error}, {@code complete}); fails after {@code wait}. */
    public JsonNode nextMessage(Duration wait) {
        try {
            var message = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + wait + "; received so far: " + received);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code payload} of every {@code next} message until the subscription completes. */
    public List<JsonNode> untilComplete(Duration wait) {
        var deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            var message = nextMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            switch (message.path("type").asString()) {
                case "complete" -> {
                    return received.stream()
                            .filter(m -> m.path("type").asString().equals("next"))
                            .map(m -> m.get("payload"))
                            .toList();
                }
                case "error" -> throw new AssertionError("subscription failed: " + message);
                default -> {}
            }
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    private static final class Collector implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();
        private volatile GraphQlSubscription target;
        private final BlockingQueue<JsonNode> early = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                var message = Api.JSON.readTree(partial.toString());
                partial.setLength(0);
                var to = target;
                if (to == null) {
                    early.add(message);
                } else {
                    early.drainTo(to.messages);
                    to.received.add(message);
                    to.messages.add(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
