package io.ventiapi.runner.launch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogLinesTest {

    @Test
    void splitsUtf8LinesWhateverTheLineEndAndKeepsALastLineWithoutOne() throws Exception {
        byte[] log = "{\"title\":\"Café API\"}\r\n{\"seq\":1}\n\n{\"seq\":2}".getBytes(StandardCharsets.UTF_8);
        List<String> lines = new CopyOnWriteArrayList<>();

        LogLines.forward(new ByteArrayInputStream(log), lines::add);

        assertThat(lines).containsExactly("{\"title\":\"Café API\"}", "{\"seq\":1}", "", "{\"seq\":2}");
    }

    @Test
    void handsOverEachLineAsItArrivesNotWhenTheStreamEnds() throws Exception {
        var pod = new PipedOutputStream();
        var log = new PipedInputStream(pod);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                LogLines.forward(log, lines::add);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        pod.write("{\"seq\":0}\n".getBytes(StandardCharsets.UTF_8));
        pod.flush();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lines.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(lines).containsExactly("{\"seq\":0}");
        assertThat(follower.isAlive()).isTrue();

        pod.write("{\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
        pod.close();
        follower.join(5000);
        assertThat(lines).containsExactly("{\"seq\":0}", "{\"seq\":1}");
    }

    @Test
    void anInterruptedFollowerStopsAtOnceAndClosesTheStreamEvenWhileTheReadBlocks() throws Exception {
        var pod = new PipedOutputStream();
        var closed = new java.util.concurrent.CountDownLatch(1);
        var log = new PipedInputStream(pod) {
            @Override
            public void close() throws IOException {
                closed.countDown();
                super.close();
            }
        };
        var outcome = new java.util.concurrent.CompletableFuture<Throwable>();
        Thread follower = Thread.ofPlatform().start(() -> {
            try {
                LogLines.forward(log, line -> {});
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });

        Thread.sleep(100); // the reader now blocks: the pod prints nothing
        follower.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBrokenStreamIsReportedAfterTheLinesThatArrived() {
        var lines = new CopyOnWriteArrayList<String>();
        var log = new java.io.SequenceInputStream(
                new ByteArrayInputStream("{\"seq\":0}\n".getBytes(StandardCharsets.UTF_8)), new java.io.InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogLines.forward(log, lines::add))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
        assertThat(lines).containsExactly("{\"seq\":0}");
    }

    @Test
    void aLineLongerThanTheBoundFailsTheFollowAfterTheLinesBeforeIt() {
        var lines = new CopyOnWriteArrayList<String>();
        var log = new ByteArrayInputStream(
                ("{\"seq\":0}\n" + "x".repeat(3 * 1024 * 1024) + "\n{\"seq\":1}\n").getBytes(StandardCharsets.UTF_8));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogLines.forward(log, lines::add))
                .isInstanceOf(io.ventiapi.runner.launch.BoundedLineReader.LineTooLongException.class)
                .hasMessage("the scanner printed a line longer than 1 MiB");
        assertThat(lines).containsExactly("{\"seq\":0}");
    }

    /**
     * Lines of 100 KiB while the consumer is busy with the first: the reader stops a few MiB ahead,
     * however many lines that is. The consumer gives the reader a moment to run ahead; the assertion
     * is on how far it got, which does not depend on how long the moment was.
     */
    @Test
    void readingAheadOfABusyConsumerIsBoundedInBytes() throws Exception {
        int lineBytes = 100 * 1024;
        int count = 300; // 30 MiB in all
        var served = new java.util.concurrent.atomic.AtomicLong();
        var log = new java.io.InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long position = served.get();
                if (position >= (long) lineBytes * count) {
                    return -1;
                }
                int n = (int) Math.min(len, (long) lineBytes * count - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (position + i + 1) % lineBytes == 0 ? (byte) '\n' : (byte) 'x';
                }
                served.addAndGet(n);
                return n;
            }
        };
        var aheadWhileBusy = new java.util.concurrent.atomic.AtomicLong();
        var delivered = new java.util.concurrent.atomic.AtomicInteger();

        LogLines.forward(log, line -> {
            if (delivered.getAndIncrement() == 0) {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (served.get() < 10L * 1024 * 1024 && System.nanoTime() < giveUp) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                aheadWhileBusy.set(served.get());
            }
        });

        assertThat(delivered.get()).isEqualTo(count);
        // the first line, the read-ahead, the line waiting to be queued and a read buffer
        assertThat(aheadWhileBusy.get()).isLessThanOrEqualTo(lineBytes + LogLines.READ_AHEAD_BYTES + lineBytes + 8192);
    }
}
