package io.ventiapi.runner.launch.kubernetes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/** Splits a followed container log into lines; kept apart from fabric8 so it runs on any stream. */
final class LogLines {

    /** Lines read ahead of the consumer at most: a slow consumer slows the reading down. */
    private static final int READ_AHEAD = 256;

    /** A line, or the end of the stream (null line), or why reading failed. */
    private record Next(String line, IOException failure) {}

    private LogLines() {}

    /**
     * Feeds each line of {@code log} (UTF-8, without its line terminator) to {@code lines}, on the
     * calling thread, until the stream ends: when the container has exited, or when the stream was
     * closed to stop following.
     *
     * <p>A blocking read of a network stream ignores interrupts, and a runner that shuts down must
     * not wait for a scan to end: a virtual thread reads, the caller waits interruptibly and, when
     * interrupted, closes the stream and throws.
     */
    static void forward(InputStream log, Consumer<String> lines) throws IOException, InterruptedException {
        BlockingQueue<Next> queue = new ArrayBlockingQueue<>(READ_AHEAD);
        Thread reader = Thread.ofVirtual().name("container-log-reader").start(() -> read(log, queue));
        try {
            Next next = queue.take();
            while (next.line() != null) {
                lines.accept(next.line());
                next = queue.take();
            }
            if (next.failure() != null) {
                throw next.failure();
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            log.close();
            throw e;
        }
    }

    private static void read(InputStream log, BlockingQueue<Next> queue) {
        try {
            Next end = new Next(null, null);
            try {
                var reader = new BufferedReader(new InputStreamReader(log, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    queue.put(new Next(line, null));
                }
            } catch (IOException e) {
                end = new Next(null, e);
            }
            queue.put(end);
        } catch (InterruptedException e) {
            // the follower was interrupted and is not listening any more
        }
    }
}
