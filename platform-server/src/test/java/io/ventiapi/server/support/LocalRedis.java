package io.ventiapi.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A Redis server of the integration tests' own (the real redis-server that dev services also
 * run), on a free port of 127.0.0.1 with append-only persistence: scan streams of one test run
 * cannot mix with another run's or a developer's platform on the same machine, and a test can
 * restart it. {@code VENTI_TEST_REDIS_HOST}/{@code _PORT} point the tests at another Redis
 * instead (nothing is restarted then).
 */
public final class LocalRedis {

    private static RedisServer server;
    private static int port;

    private LocalRedis() {}

    /** host:port of the tests' Redis, started on first use. */
    public static synchronized String address() {
        var host = System.getenv("VENTI_TEST_REDIS_HOST");
        if (host != null && !host.isBlank()) {
            var configured = System.getenv("VENTI_TEST_REDIS_PORT");
            return host + ":" + (configured == null || configured.isBlank() ? "6379" : configured);
        }
        if (server == null) {
            try {
                port = freePort();
                var dir = Files.createTempDirectory("venti-test-redis");
                server = build(dir);
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(LocalRedis::stop, "test-redis-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "127.0.0.1:" + port;
    }

    /** Whether {@link #restart()} can restart the tests' Redis (false when it is an external one). */
    public static boolean restartable() {
        address();
        return server != null;
    }

    /** Stops the tests' Redis and starts it again on the same port and data: what a Redis restart does to clients. */
    public static synchronized void restart() {
        server.stop();
        server.start();
    }

    private static RedisServer build(Path dir) throws IOException {
        return RedisServer.builder()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dir.toAbsolutePath())
                .setting("appendonly yes")
                .setting("appendfsync always")
                .build();
    }

    private static synchronized void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
