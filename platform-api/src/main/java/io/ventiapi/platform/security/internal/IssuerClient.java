package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * The HTTP client that fetches a tenant's issuer: its discovery document and key set. A tenant
 * chose that server, so every host it is asked for, the key set's found in the discovery document
 * included, is resolved once through the outbound guard and only the addresses the guard passed
 * are connected to (a name that answers with another address the second time gains nothing); no
 * redirect is followed; and the server gets seconds, not a request thread for as long as it likes.
 */
final class IssuerClient {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private IssuerClient() {}

    static RestTemplate create(OutboundUrlPolicy outbound) {
        DnsResolver vetted = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                try {
                    var literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
                    return outbound.check(URI.create("http://" + literal + "/"), "issuer")
                            .toArray(InetAddress[]::new);
                } catch (UserErrorException | IllegalArgumentException e) {
                    // An I/O failure, as an unreachable server's would be: the token is refused.
                    throw new UnknownHostException("the outbound guard refused " + host);
                }
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(vetted)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(TIMEOUT))
                        .setSocketTimeout(Timeout.of(TIMEOUT))
                        .build())
                .build();
        var client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .build();
        return new RestTemplate(new HttpComponentsClientHttpRequestFactory(client));
    }
}
