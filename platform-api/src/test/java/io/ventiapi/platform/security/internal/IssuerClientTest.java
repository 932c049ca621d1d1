package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.platform.outbound.EndlessBody;
import io.ventiapi.platform.outbound.OutboundProperties;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/** What a tenant's issuer server can make the platform fetch: only what the outbound guard allows. */
class IssuerClientTest {

    private HttpServer server;
    private String base;
    private final AtomicInteger keySetsServed = new AtomicInteger();
    private final EndlessBody endless = new EndlessBody();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/jwks", exchange -> {
            keySetsServed.incrementAndGet();
            var body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "/jwks");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/huge", exchange -> {
            // Larger than any real key set (a few kilobytes), and kept for as long as its issuer is used.
            var body = ("{\"keys\":[\"" + "k".repeat(100 * 1024) + "\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // the client stopped reading
            }
        });
        server.createContext("/bomb", exchange -> {
            // 32 MiB of zeros, sent as some 32 KiB of gzip
            var compressed = new java.io.ByteArrayOutputStream();
            try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
                var zeros = new byte[1024 * 1024];
                for (int i = 0; i < 32; i++) {
                    gzip.write(zeros);
                }
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, compressed.size());
            try (var out = exchange.getResponseBody()) {
                out.write(compressed.toByteArray());
            }
        });
        server.createContext("/endless", endless);
        server.createContext("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                while (true) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException ignored) {
                // the client hung up, or the server is stopping
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anAddressTheGuardRefusesIsNeverConnectedTo() {
        var strict = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(false, false)));

        for (var url : new String[] {"http://169.254.169.254/latest/meta-data/", base + "/jwks"}) {
            assertThatThrownBy(() -> strict.getForObject(url, String.class))
                    .as(url)
                    .isInstanceOf(ResourceAccessException.class)
                    .hasMessageContaining("the outbound guard refused");
        }
        assertThat(keySetsServed).hasValue(0);
    }

    @Test
    void aKeySetLargerThan64KilobytesIsRefused() {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        assertThatThrownBy(() -> loopbackAllowed.getForObject(base + "/huge", String.class))
                .isInstanceOf(RestClientException.class)
                .hasStackTraceContaining("the response is larger than 65536 bytes");
    }

    @Test
    void aBodyPastTheCapIsNotReadOnToKeepTheConnection() throws InterruptedException {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        assertThatThrownBy(() -> loopbackAllowed.getForObject(base + "/endless", String.class))
                .isInstanceOf(RestClientException.class)
                .hasStackTraceContaining("the response is larger than 65536 bytes");
        // The cap and what the two sockets' buffers hold; read on until the deadline, gigabytes.
        assertThat(endless.sentUntilTheClientHungUp()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aCompressedBodyIsNotExpanded() {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        // Nothing asked for compression: the bytes stay as sent, a small unreadable key set.
        assertThat(loopbackAllowed.getForObject(base + "/bomb", byte[].class)).hasSizeLessThan(64 * 1024);
    }

    @Test
    @Timeout(60) // without the deadline, the drip below would hold the request for days
    void aServerDrippingItsKeySetIsCutOffAtTheDeadline() {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        assertThatThrownBy(() -> loopbackAllowed.getForObject(base + "/drip", String.class))
                .isInstanceOf(RestClientException.class)
                .hasStackTraceContaining("Socket closed");
    }

    @Test
    void anAllowedServerIsReadButItsRedirectsAreNotFollowed() {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        assertThat(loopbackAllowed.getForObject(base + "/jwks", String.class)).isEqualTo("{\"keys\":[]}");
        assertThat(loopbackAllowed.getForObject(base + "/moved", String.class)).isNull();
        assertThat(keySetsServed).as("only the direct request").hasValue(1);
    }
}
