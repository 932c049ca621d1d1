package io.ventiapi.engine.http;

import static java.net.spi.InetAddressResolver.LookupPolicy.IPV4;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV4_FIRST;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV6;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV6_FIRST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pinned names resolve to their pinned addresses and nothing else resolves; with nothing pinned, the JDK's resolver
 * answers. Each test pins names of the reserved {@code .test} domain that no other test uses: the JDK caches the
 * answers to lookups through it (30 s), pinned ones included.
 */
class PinnedNamesTest {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final LookupPolicy ANY_ORDER = LookupPolicy.of(IPV4 | IPV6);

    /** Stands in for the JDK's resolver and notes what it was asked. */
    private final List<String> builtinLookups = new CopyOnWriteArrayList<>();

    private final InetAddressResolver builtin = new InetAddressResolver() {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) {
            builtinLookups.add(host);
            return Stream.of(InetAddress.ofLiteral("192.0.2.1"));
        }

        @Override
        public String lookupByAddress(byte[] address) {
            builtinLookups.add("reverse");
            return "reverse.example";
        }
    };

    private final PinnedNames.Resolver resolver = new PinnedNames.Resolver(builtin);

    @AfterEach
    void unpin() {
        PinnedNames.unpin();
    }

    @Test
    void passesEveryLookupToTheJdkWhileNothingIsPinned() throws Exception {
        assertThat(resolver.lookupByName("api.example.com", ANY_ORDER))
                .containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(resolver.lookupByAddress(LOOPBACK.getAddress())).isEqualTo("reverse.example");
        assertThat(builtinLookups).containsExactly("api.example.com", "reverse");
    }

    @Test
    void answersPinnedNamesWithTheirAddressesAndNoOtherName() throws Exception {
        PinnedNames.pin(Map.of("Pinned-Only.test.", List.of(LOOPBACK)));

        assertThat(resolver.lookupByName("pinned-only.test", ANY_ORDER)).containsExactly(LOOPBACK);
        assertThat(resolver.lookupByName("PINNED-ONLY.TEST.", ANY_ORDER))
                .singleElement()
                .satisfies(address -> assertThat(address.getHostName()).isEqualTo("PINNED-ONLY.TEST."));
        for (String other : List.of("other.test", "localhost", "pinned-only.test.example", "api.example.com")) {
            assertThatThrownBy(() -> resolver.lookupByName(other, ANY_ORDER))
                    .isInstanceOf(UnknownHostException.class)
                    .hasMessage(other + ": not a host this scan may reach");
        }
        // Reverse lookups ask no name to connect to: they stay the JDK's.
        assertThat(resolver.lookupByAddress(LOOPBACK.getAddress())).isEqualTo("reverse.example");
        assertThat(builtinLookups).containsExactly("reverse");
    }

    @Test
    void honoursTheFamiliesAndOrderTheLookupAsksFor() throws Exception {
        InetAddress v4a = InetAddress.ofLiteral("203.0.113.1");
        InetAddress v6a = InetAddress.ofLiteral("2001:db8::1");
        InetAddress v4b = InetAddress.ofLiteral("203.0.113.2");
        InetAddress v6b = InetAddress.ofLiteral("2001:db8::2");
        PinnedNames.pin(Map.of(
                "families.test", List.of(v4a, v6a, v4b, v6b), "only-v6.test", List.of(InetAddress.ofLiteral("::1"))));

        assertThat(resolver.lookupByName("families.test", LookupPolicy.of(IPV4)))
                .containsExactly(v4a, v4b);
        assertThat(resolver.lookupByName("families.test", LookupPolicy.of(IPV6)))
                .containsExactly(v6a, v6b);
        assertThat(resolver.lookupByName("families.test", ANY_ORDER)).containsExactly(v4a, v6a, v4b, v6b);
        assertThat(resolver.lookupByName("families.test", LookupPolicy.of(IPV4 | IPV6 | IPV4_FIRST)))
                .containsExactly(v4a, v4b, v6a, v6b);
        assertThat(resolver.lookupByName("families.test", LookupPolicy.of(IPV4 | IPV6 | IPV6_FIRST)))
                .containsExactly(v6a, v6b, v4a, v4b);
        assertThatThrownBy(() -> resolver.lookupByName("only-v6.test", LookupPolicy.of(IPV4)))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageStartingWith("only-v6.test: no pinned address");
        assertThat(builtinLookups).isEmpty();
    }

    @Test
    void pinsOncePerProcess() {
        assertThatThrownBy(() -> PinnedNames.pin(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PinnedNames.pin(Map.of("127.0.0.2", List.of(LOOPBACK))))
                .hasMessage("127.0.0.2 is an address: addresses are never looked up");
        assertThatThrownBy(() -> PinnedNames.pin(Map.of("no-address.test", List.of())))
                .hasMessage("no-address.test: no address to pin it to");

        PinnedNames.pin(Map.of("once.test", List.of(LOOPBACK)));
        PinnedNames.pin(Map.of("ONCE.test.", List.of(LOOPBACK)));

        assertThatThrownBy(() -> PinnedNames.pin(Map.of("once.test", List.of(InetAddress.ofLiteral("127.0.0.3")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pins hold for the life of the process");
    }

    @Test
    void isTheResolverOfThisJvm() throws Exception {
        PinnedNames.pin(Map.of("rebind.test", List.of(LOOPBACK)));

        assertThat(InetAddress.getAllByName("rebind.test")).containsExactly(LOOPBACK);
        assertThatThrownBy(() -> InetAddress.getAllByName("not-pinned.rebind.test"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("not a host this scan may reach");
    }

    @Test
    void theTargetClientConnectsToAPinnedNameAtItsPinnedAddress() throws IOException {
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/ok", exchange -> {
            try (exchange) {
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                byte[] body = "fine".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        // The name exists in no DNS: only the pin can lead the client to the server.
        PinnedNames.pin(Map.of("client.rebind.test", List.of(LOOPBACK)));
        try (TargetClient client = new TargetClient(
                URI.create("http://client.rebind.test:" + port + "/"),
                new ExecutionLimits(1, 0, 10, Duration.ofMinutes(1), Duration.ofSeconds(5)))) {
            ProbeResponse response = client.send(new ProbeRequest("GET", "/ok", Map.of(), null));

            assertThat(response.status()).isEqualTo(200);
            assertThat(hosts).containsExactly("client.rebind.test:" + port);
        } finally {
            server.stop(0);
        }
    }
}
