package io.ventiapi.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A test server's answer with a body that never ends, sent as fast as the client reads it. */
public final class EndlessBody implements HttpHandler {

    private final AtomicLong sent = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        var chunk = new byte[64 * 1024];
        try (var out = exchange.getResponseBody()) {
            while (true) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        } catch (IOException ignored) {
            // the client hung up
        } finally {
            stopped.countDown();
        }
    }

    /** How many bytes it had sent when the client hung up (which it waits for, up to 30 s). */
    public long sentUntilTheClientHungUp() throws InterruptedException {
        assertThat(stopped.await(30, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        return sent.get();
    }
}
