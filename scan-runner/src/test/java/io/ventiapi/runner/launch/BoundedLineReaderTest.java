package io.ventiapi.runner.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static List<String> lines(BoundedLineReader reader) throws IOException {
        var lines = new ArrayList<String>();
        for (var line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void splitsUtf8LinesAtEveryKindOfLineEndAndKeepsALastLineWithoutOne() throws IOException {
        var text = "{\"title\":\"Café API\"}\r\n{\"seq\":1}\n\n{\"seq\":2}\r{\"seq\":3}\r\n\r\nlast";

        var reader = new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));

        assertThat(lines(reader))
                .containsExactly(
                        "{\"title\":\"Café API\"}", "{\"seq\":1}", "", "{\"seq\":2}", "{\"seq\":3}", "", "last");
    }

    /** The stream hands out a few bytes at a time: a character and a line end may be split anywhere. */
    @Test
    void linesAndCharactersSplitAcrossReadsComeOutWhole() throws IOException {
        var bytes = "ünïcödé €\r\nzwei 𝄞\r\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        var trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };

        var lines = lines(new BoundedLineReader(trickle));

        assertThat(lines).hasSize(4000);
        assertThat(lines.subList(0, 2)).containsExactly("ünïcödé €", "zwei 𝄞");
    }

    @Test
    void aLineOfExactlyTheBoundIsReadAndItsSizeTold() throws IOException {
        var line = "é".repeat(BoundedLineReader.MAX_LINE_BYTES / 2);
        var reader =
                new BoundedLineReader(new ByteArrayInputStream((line + "\nnext").getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.readLine()).isEqualTo(line);
        assertThat(reader.lastLineBytes()).isEqualTo(BoundedLineReader.MAX_LINE_BYTES);
        assertThat(reader.readLine()).isEqualTo("next");
    }

    /** A hostile scanner's line without end: refused once past the bound, not read to its end. */
    @Test
    void aLongerLineIsRefusedAsSoonAsItPassesTheBoundWithoutBeingReadWhole() {
        var served = new long[1];
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served[0] += len;
                return len;
            }
        };
        var reader = new BoundedLineReader(endless);

        assertThatThrownBy(reader::readLine)
                .isInstanceOf(BoundedLineReader.LineTooLongException.class)
                .hasMessage("the scanner printed a line longer than 1 MiB");
        assertThat(served[0]).isLessThanOrEqualTo(BoundedLineReader.MAX_LINE_BYTES + 8192);
    }

    @Test
    void theLinesBeforeALongOneArriveFirst() throws IOException {
        var text = "{\"seq\":0}\n" + "x".repeat(100) + "\n";
        var reader = new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 64);

        assertThat(reader.readLine()).isEqualTo("{\"seq\":0}");
        assertThatThrownBy(reader::readLine).hasMessage("the scanner printed a line longer than 64 bytes");
    }
}
