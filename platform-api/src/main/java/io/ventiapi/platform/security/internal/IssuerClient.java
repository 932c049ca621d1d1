package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.GuardedHttp;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * The HTTP client that fetches a tenant's issuer: its discovery document and key set. A tenant
 * chose that server, so every host it is asked for, the key set's found in the discovery document
 * included, is resolved once through the outbound guard and only the addresses the guard passed
 * are connected to (a name that answers with another address the second time gains nothing); no
 * redirect is followed; and the server gets seconds and 64 KB ({@link GuardedHttp}), not a
 * request thread and memory for as long as it likes.
 */
final class IssuerClient {

    /** Connecting, and each wait for bytes. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * The whole exchange, however the server paces its bytes: an identity provider answers a key set
     * request in well under a second, and the request thread that asks is a user's, waiting.
     */
    static final Duration TOTAL = Duration.ofSeconds(3);
    /**
     * A key set or discovery document is a few kilobytes; a server sending more is refused. A key
     * set is kept for as long as its issuer is used, one per registration's issuer and URL.
     */
    static final long MAX_BYTES = 64 * 1024;

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
        var connections = GuardedHttp.connections(vetted, TIMEOUT, TIMEOUT);
        // One client serves every issuer: one fetch at a time per registration's key set, each on
        // a request thread (of which there are 200), a few at a time from one identity provider.
        connections.setMaxTotal(200);
        connections.setDefaultMaxPerRoute(20);
        var client = GuardedHttp.client(connections).build();
        var requests = new HttpComponentsClientHttpRequestFactory(client) {
            @Override
            protected ClassicHttpRequest createHttpUriRequest(HttpMethod method, URI uri) {
                var request = super.createHttpUriRequest(method, uri);
                if (request instanceof Cancellable cancellable) {
                    // Fire and forget: cancelling an exchange that is over does nothing.
                    GuardedHttp.cancelAfter(cancellable, TOTAL);
                }
                return request;
            }
        };
        var template = new RestTemplate(requests);
        template.getInterceptors().add((request, body, execution) -> limited(execution.execute(request, body)));
        return template;
    }

    /** The response, its body cut off with an error past {@link #MAX_BYTES}. */
    private static ClientHttpResponse limited(ClientHttpResponse response) {
        return new ClientHttpResponse() {
            @Override
            public HttpStatusCode getStatusCode() throws IOException {
                return response.getStatusCode();
            }

            @Override
            public String getStatusText() throws IOException {
                return response.getStatusText();
            }

            @Override
            public HttpHeaders getHeaders() {
                return response.getHeaders();
            }

            @Override
            public InputStream getBody() throws IOException {
                return GuardedHttp.limited(response.getBody(), MAX_BYTES);
            }

            @Override
            public void close() {
                response.close();
            }
        };
    }
}
