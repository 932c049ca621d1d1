package io.ventiapi.engine.canary;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP listener for out-of-band confirmation: each probe gets a URL with a fresh token, and a request
 * arriving for that token proves the target fetched it. Answers every request with an empty 200.
 */
public final class CanaryListener implements AutoCloseable {

    /** One request that reached the canary. */
    public record Hit(String token, String method, String path, String remoteAddress, String userAgent, Instant at) {}

    private static final String PREFIX = "/venti-canary/";
    private final HttpServer server;
    private final URI publicBase;
    private final Map<String, List<Hit>> hits = new ConcurrentHashMap<>();

    private CanaryListener(HttpServer server, URI publicBase) {
        this.server = server;
        this.publicBase = publicBase;
    }

    /** Starts a listener as configured. */
    public static CanaryListener start(CanarySettings settings) {
        InetSocketAddress listen = settings.listen();
        if (listen.isUnresolved()) {
            listen = new InetSocketAddress(listen.getHostString(), listen.getPort());
            if (listen.isUnresolved()) {
                throw new UncheckedIOException(
                        "cannot start the canary listener on " + settings.listen(),
                        new UnknownHostException(listen.getHostString()));
            }
        }
        try {
            HttpServer server = HttpServer.create(listen, 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            String host = listen.getAddress().isAnyLocalAddress()
                    ? "127.0.0.1"
                    : listen.getAddress().getHostAddress();
            URI base = settings.publicUrl() != null
                    ? settings.publicUrl()
                    : URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                            + server.getAddress().getPort());
            CanaryListener listener = new CanaryListener(server, base);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getRawPath();
                    if (path.startsWith(PREFIX)) {
                        String token = path.substring(PREFIX.length()).split("/", 2)[0];
                        listener.hits
                                .computeIfAbsent(token, k -> new CopyOnWriteArrayList<>())
                                .add(new Hit(
                                        token,
                                        exchange.getRequestMethod(),
                                        path,
                                        exchange.getRemoteAddress().getAddress().getHostAddress(),
                                        String.valueOf(
                                                exchange.getRequestHeaders().getFirst("User-Agent")),
                                        Instant.now()));
                    }
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the canary listener on " + listen, e);
        }
    }

    /** A fresh token for one probe. */
    public String newToken() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The URL that proves a fetch when a request for it arrives. */
    public String urlFor(String token) {
        String base = publicBase.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PREFIX + token;
    }

    /** The first hit for a token, waiting up to {@code wait} for it to arrive. */
    public Optional<Hit> awaitHit(String token, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Hit> seen = hits.get(token);
            if (seen != null && !seen.isEmpty()) {
                return Optional.of(seen.getFirst());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
