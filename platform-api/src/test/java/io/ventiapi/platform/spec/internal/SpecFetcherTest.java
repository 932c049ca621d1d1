package io.ventiapi.platform.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.EndlessBody;
import io.ventiapi.platform.outbound.OutboundProperties;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.spec.SpecProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecFetcherTest {

    private static final String SPEC = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

    private final SpecProperties limits =
            new SpecProperties(1024, Duration.ofSeconds(5), Duration.ofSeconds(2), 3, Duration.ofSeconds(30));
    private final SpecFetcher strict =
            new SpecFetcher(new OutboundUrlPolicy(new OutboundProperties(false, false)), limits);
    private final SpecFetcher loopbackAllowed =
            new SpecFetcher(new OutboundUrlPolicy(new OutboundProperties(true, false)), limits);

    private HttpServer server;
    private String base;
    private final AtomicInteger internalHits = new AtomicInteger();
    private final EndlessBody endless = new EndlessBody();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/spec.yaml", exchange -> respond(exchange, 200, SPEC));
        server.createContext("/moved", exchange -> redirect(exchange, "/spec.yaml"));
        server.createContext(
                "/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/to-private", exchange -> redirect(exchange, "http://10.0.0.1/openapi.json"));
        server.createContext("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
        server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
        server.createContext("/huge", exchange -> respond(exchange, 200, "x".repeat(4096)));
        server.createContext("/missing", exchange -> respond(exchange, 404, "no"));
        server.createContext("/endless", endless);
        server.createContext("/internal", exchange -> {
            internalHits.incrementAndGet();
            respond(exchange, 200, SPEC);
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/openapi.json",
                "http://localhost:%d/internal",
                "http://127.0.0.1:%d/internal"
            })
    void internalAddressesAreRefusedBeforeAnyConnection(String url) {
        var target = url.formatted(server.getAddress().getPort());

        assertThatThrownBy(() -> strict.fetch(target)).isInstanceOfSatisfying(UserErrorException.class, e -> {
            assertThat(e.error().field()).isEqualTo("url");
            assertThat(e.getMessage()).contains("does not connect to");
        });
        assertThat(internalHits).hasValue(0);
    }

    @Test
    void aDocumentIsFetchedFollowingRedirects() {
        var fetched = loopbackAllowed.fetch(base + "/moved");

        assertThat(fetched.content()).isEqualTo(SPEC);
        assertThat(fetched.finalUrl().toString()).isEqualTo(base + "/spec.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-metadata", "/to-private"})
    void aRedirectToAnInternalAddressIsCheckedAgainAndRefused(String path) {
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + path))
                .isInstanceOf(UserErrorException.class)
                .hasMessageContaining("does not connect to");
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + "/to-file"))
                .isInstanceOf(UserErrorException.class)
                .hasMessageContaining("http");
    }

    @Test
    void aDocumentPastTheCapIsNotReadOnToKeepTheConnection() throws InterruptedException {
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + "/endless"))
                .hasMessageContaining("larger than 1024 bytes");

        // The cap and what the two sockets' buffers hold; read on until the deadline, gigabytes.
        assertThat(endless.sentUntilTheClientHungUp()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void limitsOnRedirectsSizeAndStatusAreKept() {
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + "/loop")).hasMessageContaining("more than 3 redirects");
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + "/huge")).hasMessageContaining("larger than 1024 bytes");
        assertThatThrownBy(() -> loopbackAllowed.fetch(base + "/missing")).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> loopbackAllowed.fetch("ftp://127.0.0.1/spec"))
                .hasMessageContaining("only http and https");
    }

    @Test
    void connectionFailuresSayWhatKindWithoutTheLibrarysText() throws Exception {
        // A TLS client meeting a server that answers in plain HTTP at once.
        try (var plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var answering = Thread.ofVirtual().start(() -> {
                try (var socket = plain.accept()) {
                    socket.getOutputStream()
                            .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().read();
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            assertThatThrownBy(() -> loopbackAllowed.fetch("https://127.0.0.1:" + plain.getLocalPort() + "/spec.yaml"))
                    .isInstanceOf(UserErrorException.class)
                    .hasMessage("could not fetch the document from 127.0.0.1: the TLS handshake failed"
                            + " (the server's certificate is not trusted, or it does not speak TLS)");
            answering.join();
        }
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> loopbackAllowed.fetch("http://127.0.0.1:" + closed + "/spec.yaml"))
                .isInstanceOf(UserErrorException.class)
                .hasMessage("could not fetch the document from 127.0.0.1: the server did not accept the connection");
    }

    @Test
    void aServerCannotMakeTheFetchHoldEndlessHeaders() throws Exception {
        for (var headers : new String[] {
            "X-Long: " + "a".repeat(100_000) + "\r\n", "X-Many: a\r\n".repeat(1_000),
        }) {
            try (var server = rawServer(
                    "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + SPEC.length() + "\r\n\r\n" + SPEC)) {
                assertThatThrownBy(() -> loopbackAllowed.fetch("http://127.0.0.1:" + server.getLocalPort() + "/"))
                        .isInstanceOf(UserErrorException.class)
                        .hasMessage("could not fetch the document from 127.0.0.1: the connection failed");
            }
        }
    }

    @Test
    @Timeout(60) // without the deadline, the drip below would hold the fetch for hours
    void aServerDrippingItsHeadersIsCutOffAtTheDeadline() throws Exception {
        var oneSecond = new SpecFetcher(
                new OutboundUrlPolicy(new OutboundProperties(true, false)),
                new SpecProperties(1024, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(30)));
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var dripping = Thread.ofVirtual().start(() -> {
                try (var socket = server.accept()) {
                    var out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        // one byte of one header line every 50 ms: each read well within the socket
                        // timeout, and the line's 8 KiB limit minutes away
                        out.write('a');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the client hung up, or the test is over
                }
            });

            assertThatThrownBy(() -> oneSecond.fetch("http://127.0.0.1:" + server.getLocalPort() + "/"))
                    .isInstanceOf(UserErrorException.class)
                    .hasMessage("fetching the document timed out");
            dripping.interrupt();
            dripping.join();
        }
    }

    /** A server that answers one connection with {@code response} as it is, then hangs up. */
    private static ServerSocket rawServer(String response) throws IOException {
        var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (var socket = server.accept()) {
                socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            } catch (IOException ignored) {
                // the client hung up
            }
        });
        return server;
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
