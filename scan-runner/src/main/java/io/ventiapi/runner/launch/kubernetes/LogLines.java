package io.ventiapi.runner.launch.kubernetes;

import io.ventiapi.runner.launch.BoundedLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** Splits a followed container log into lines; kept apart from fabric8 so it runs on any stream. */
final class LogLines {

    /**
     * Bytes read ahead of the consumer at most: a slow consumer slows the reading down. Bounded in
     * bytes, not lines, since the container decides how long its lines are.
     */
    static final int READ_AHEAD_BYTES = 4 * BoundedLineReader.MAX_LINE_BYTES;

    /** What a line weighs beyond its bytes (the objects around it), so empty lines are not free. */
    private static final int LINE_OVERHEAD = 64;

    /** A line and its weight, or the end of the stream (null line), or why reading failed. */
    private record Next(String line, int weight, IOException failure) {}

    private LogLines() {}

    /**
     * Feeds each line of {@code log} (UTF-8, without its line terminator) to {@code lines}, on the
     * calling thread, until the stream ends: when the container has exited, or when the stream was
     * closed to stop following.
     *
     * <p>A blocking read of a network stream ignores interrupts, and a runner that shuts down must
     * not wait for a scan to end: a virtual thread reads, the caller waits interruptibly and, when
     * interrupted, closes the stream and throws.
     *
     * @throws BoundedLineReader.LineTooLongException after the lines before it, for a line longer
     *     than {@link BoundedLineReader#MAX_LINE_BYTES}
     */
    static void forward(InputStream log, Consumer<String> lines) throws IOException, InterruptedException {
        BlockingQueue<Next> queue = new LinkedBlockingQueue<>();
        Semaphore readAhead = new Semaphore(READ_AHEAD_BYTES);
        Thread reader = Thread.ofVirtual().name("container-log-reader").start(() -> read(log, queue, readAhead));
        try {
            Next next = queue.take();
            while (next.line() != null) {
                readAhead.release(next.weight());
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

    private static void read(InputStream log, BlockingQueue<Next> queue, Semaphore readAhead) {
        try {
            Next end = new Next(null, 0, null);
            try {
                var reader = new BoundedLineReader(log);
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int weight = reader.lastLineBytes() + LINE_OVERHEAD;
                    readAhead.acquire(weight);
                    queue.put(new Next(line, weight, null));
                }
            } catch (IOException e) {
                end = new Next(null, 0, e);
            }
            queue.put(end);
        } catch (InterruptedException e) {
            // the follower was interrupted and is not listening any more
        }
    }
}
