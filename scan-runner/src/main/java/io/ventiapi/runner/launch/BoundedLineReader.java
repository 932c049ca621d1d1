package io.ventiapi.runner.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits what a scanner prints into UTF-8 lines of bounded size. A scanner's output is not trusted
 * (a tenant's custom image prints what it likes): a line without end must not make the runner run
 * out of memory and fail every scan it runs, so a line longer than the bound is refused as soon as
 * the bound is passed, never buffered whole. Lines end at {@code \n}, {@code \r\n} or {@code \r};
 * the last one may have no end. Not thread-safe.
 */
public final class BoundedLineReader {

    /** The longest line a scanner may print: far more than any event or report line needs. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    private static final int BUFFER = 8192;

    /** A line longer than the bound; the message says so in words fit for the scan's reason. */
    public static final class LineTooLongException extends IOException {

        LineTooLongException(int maxLineBytes) {
            super("the scanner printed a line longer than " + size(maxLineBytes));
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private byte[] line = new byte[256];
    private int lastLineBytes;

    public BoundedLineReader(InputStream in) {
        this(in, MAX_LINE_BYTES);
    }

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its end, or null when the stream has ended.
     *
     * @throws LineTooLongException once the line passes the bound (what follows it is not read)
     */
    public String readLine() throws IOException {
        int length = 0;
        boolean started = false;
        while (true) {
            if (position == limit && !fill()) {
                return started ? text(length) : null;
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            started = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int chunk = position - start;
            if (length + chunk > maxLineBytes) {
                throw new LineTooLongException(maxLineBytes);
            }
            append(start, chunk, length);
            length += chunk;
            if (position < limit) {
                skipLineFeed = buffer[position] == '\r';
                position++;
                return text(length);
            }
        }
    }

    /** The size in bytes of the line {@link #readLine} returned last (its UTF-8 form). */
    public int lastLineBytes() {
        return lastLineBytes;
    }

    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private void append(int start, int chunk, int length) {
        if (length + chunk > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(length + chunk, line.length * 2)));
        }
        System.arraycopy(buffer, start, line, length, chunk);
    }

    private String text(int length) {
        lastLineBytes = length;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private static String size(int bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
