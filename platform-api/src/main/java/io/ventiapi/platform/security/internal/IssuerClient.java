package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * The HTTP client that fetches a tenant's issuer: its discovery document and key set. A tenant
 * chose that server, so every URL passes the outbound guard before a connection, the key set's
 * address found in the discovery document included; no redirect is followed; and the server gets
 * seconds, not a request thread for as long as it likes.
 */
final class IssuerClient {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private IssuerClient() {}

    static RestTemplate create(OutboundUrlPolicy outbound) {
        var requests = new SimpleClientHttpRequestFactory() {
            @Override
            protected void prepareConnection(HttpURLConnection connection, String method) throws IOException {
                super.prepareConnection(connection, method);
                connection.setInstanceFollowRedirects(false);
            }
        };
        requests.setConnectTimeout(TIMEOUT);
        requests.setReadTimeout(TIMEOUT);
        var client = new RestTemplate(requests);
        client.getInterceptors().add((request, body, execution) -> {
            try {
                outbound.check(request.getURI(), "issuer");
            } catch (UserErrorException | IllegalArgumentException e) {
                // An I/O failure, as an unreachable server's would be: the token is refused.
                throw new IOException(
                        "the outbound guard refused " + request.getURI().getHost());
            }
            return execution.execute(request, body);
        });
        return client;
    }
}
