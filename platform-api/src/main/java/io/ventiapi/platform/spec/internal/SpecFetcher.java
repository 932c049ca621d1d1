package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.GuardedHttp;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.spec.SpecProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a spec URL a tenant gave, without letting the platform become an SSRF tool: every hop
 * (the URL and each redirect) is checked by {@link OutboundUrlPolicy}, and the connection goes to
 * the very addresses that check resolved (a pinned DNS resolver), so a name cannot answer
 * differently between the check and the connection. TLS still verifies the certificate against
 * the host name. Size, redirect count and total time are capped.
 */
public final class SpecFetcher {

    private static final Logger log = LoggerFactory.getLogger(SpecFetcher.class);

    private static final String FIELD = "url";

    private final OutboundUrlPolicy policy;
    private final SpecProperties limits;

    public SpecFetcher(OutboundUrlPolicy policy, SpecProperties limits) {
        this.policy = policy;
        this.limits = limits;
    }

    /** A fetched document and where it was finally found. */
    public record Fetched(URI finalUrl, String content) {}

    /** Fetches {@code url}; any refusal or failure is a {@link UserErrorException} on the {@code url} field. */
    public Fetched fetch(String url) {
        var deadline = System.nanoTime() + limits.fetchTimeout().toNanos();
        var current = parse(url);
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            var addresses = policy.check(current, FIELD);
            var outcome = get(current, addresses, deadline);
            if (outcome.content() != null) {
                return new Fetched(current, outcome.content());
            }
            try {
                current = current.resolve(new URI(outcome.location().strip()));
            } catch (URISyntaxException e) {
                throw UserErrorException.invalid(FIELD, "the server redirected to an invalid URL");
            }
        }
        throw UserErrorException.invalid(FIELD, "more than " + limits.maxRedirects() + " redirects");
    }

    /** Either the body, or where a redirect points. */
    private record Hop(String content, String location) {}

    private Hop get(URI url, List<InetAddress> addresses, long deadline) {
        var pinned = addresses.toArray(InetAddress[]::new);
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return pinned.clone();
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return host;
            }
        };
        var remaining = remaining(deadline);
        var connections = GuardedHttp.connections(resolver, min(limits.connectTimeout(), remaining), remaining);
        try (var client = GuardedHttp.client(connections)
                .setUserAgent("VentiAPI-Scanner spec import")
                .build()) {
            var request = new HttpGet(url);
            request.setHeader(HttpHeaders.ACCEPT, "application/json, application/yaml, text/yaml, */*;q=0.5");
            request.setConfig(RequestConfig.custom()
                    .setResponseTimeout(Timeout.of(remaining))
                    .build());
            // The socket timeout restarts with every byte: a server dripping its headers would
            // never reach it. This ends the exchange at the deadline, whatever the server does.
            try (var cancel = GuardedHttp.cancelAfter(request, remaining)) {
                return client.execute(request, response -> {
                    int status = response.getCode();
                    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                        var location = response.getFirstHeader(HttpHeaders.LOCATION);
                        if (location == null) {
                            throw UserErrorException.invalid(FIELD, "the server redirected without a Location");
                        }
                        return new Hop(null, location.getValue());
                    }
                    if (status != 200) {
                        throw UserErrorException.invalid(FIELD, "the server answered HTTP " + status);
                    }
                    var entity = response.getEntity();
                    if (entity == null) {
                        throw UserErrorException.invalid(FIELD, "the server sent no document");
                    }
                    if (entity.getContentLength() > limits.maxBytes()) {
                        throw tooLarge();
                    }
                    return new Hop(read(entity.getContent(), deadline), null);
                });
            }
        } catch (UserErrorException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof InterruptedIOException || System.nanoTime() - deadline >= 0) {
                // a read that timed out, or one the deadline cut off by closing its socket
                throw UserErrorException.invalid(FIELD, "fetching the document timed out");
            }
            // The library's own text names resolved addresses and TLS internals: the caller gets
            // what kind of failure it was, the log the rest.
            log.info("Fetching a document from {} failed: {}", url.getHost(), e.toString());
            throw UserErrorException.invalid(
                    FIELD, "could not fetch the document from " + url.getHost() + ": " + failure(e));
        }
    }

    private static String failure(IOException e) {
        if (e instanceof SSLException) {
            return "the TLS handshake failed (the server's certificate is not trusted, or it does not speak TLS)";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "the server did not accept the connection";
        }
        return "the connection failed";
    }

    private String read(java.io.InputStream in, long deadline) throws IOException {
        var body = GuardedHttp.limited(in, limits.maxBytes());
        var out = new ByteArrayOutputStream();
        var buffer = new byte[16 * 1024];
        int n;
        try {
            while ((n = body.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (System.nanoTime() > deadline) {
                    // A server dripping bytes under the socket timeout still meets the total limit.
                    throw UserErrorException.invalid(FIELD, "fetching the document timed out");
                }
            }
        } catch (GuardedHttp.TooLargeException e) {
            throw tooLarge();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private UserErrorException tooLarge() {
        return UserErrorException.invalid(FIELD, "the document is larger than " + limits.maxBytes() + " bytes");
    }

    private static Duration remaining(long deadline) {
        var left = deadline - System.nanoTime();
        if (left <= 0) {
            throw UserErrorException.invalid(FIELD, "fetching the document timed out");
        }
        return Duration.ofNanos(left);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static URI parse(String url) {
        try {
            return new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw UserErrorException.invalid(FIELD, "not a URL: " + url);
        }
    }
}
