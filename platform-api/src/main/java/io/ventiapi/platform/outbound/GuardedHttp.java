package io.ventiapi.platform.outbound;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.util.Timeout;

/**
 * What every HTTP client the platform points at a server a tenant chose has in common, beyond the
 * outbound guard its resolver applies: the server cannot make it hold more than a few kilobytes of
 * status and header lines (or chunk-size lines), nor send it a compressed body that grows in
 * memory, nor keep it waiting past a total deadline by dripping bytes that each arrive within the
 * socket timeout.
 */
public final class GuardedHttp {

    /** Longest status, header or chunk-size line a tenant's server may send. */
    static final int MAX_LINE_LENGTH = 8 * 1024;
    /** Most header lines in one response. */
    static final int MAX_HEADER_COUNT = 100;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("outbound-deadlines").factory());

    private GuardedHttp() {}

    /** Connections through {@code resolver} (which applies the guard), with bounded lines and timeouts. */
    public static PoolingHttpClientConnectionManager connections(
            DnsResolver resolver, Duration connectTimeout, Duration socketTimeout) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxLineLength(MAX_LINE_LENGTH)
                                .setMaxHeaderCount(MAX_HEADER_COUNT)
                                .build())
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(socketTimeout))
                        .build())
                .build();
    }

    /**
     * A client over {@code connections} that follows no redirect (each hop is for the caller to
     * check), retries nothing, keeps no cookies or credentials, and asks for no compression (so
     * the size it counts is the size it holds).
     */
    public static HttpClientBuilder client(PoolingHttpClientConnectionManager connections) {
        return HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression();
    }

    /**
     * Cancels {@code request} once {@code timeLeft} has passed, whatever the server is doing: its
     * connection is shut, and the blocked read fails. Harmless on an exchange that is over; close
     * the result when it is, so that nothing waits for nothing.
     */
    public static Deadline cancelAfter(Cancellable request, Duration timeLeft) {
        var scheduled = DEADLINES.schedule(request::cancel, timeLeft.toNanos(), TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
    }

    /** A response body past its cap. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long maxBytes) {
            super("the response is larger than " + maxBytes + " bytes");
        }
    }

    /** A pending cancellation; closing it calls it off. */
    public interface Deadline extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * {@code body}, failing with an {@link IOException} once more than {@code maxBytes} were read.
     * The connection is then dropped, not read to the end of the body to be kept: a server sending
     * without end would otherwise hold the caller until its deadline.
     */
    public static InputStream limited(InputStream body, long maxBytes) {
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > maxBytes) {
                    if (in instanceof EofSensorInputStream connection) {
                        connection.abort();
                    }
                    throw new TooLargeException(maxBytes);
                }
            }
        };
    }
}
