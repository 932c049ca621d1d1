package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
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
import org.springframework.web.client.ResourceAccessException;

/** What a tenant's issuer server can make the platform fetch: only what the outbound guard allows. */
class IssuerClientTest {

    private HttpServer server;
    private String base;
    private final AtomicInteger keySetsServed = new AtomicInteger();

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
    void anAllowedServerIsReadButItsRedirectsAreNotFollowed() {
        var loopbackAllowed = IssuerClient.create(new OutboundUrlPolicy(new OutboundProperties(true, false)));

        assertThat(loopbackAllowed.getForObject(base + "/jwks", String.class)).isEqualTo("{\"keys\":[]}");
        assertThat(loopbackAllowed.getForObject(base + "/moved", String.class)).isNull();
        assertThat(keySetsServed).as("only the direct request").hasValue(1);
    }
}
