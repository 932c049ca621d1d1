package io.ventiapi.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    @Test
    void writesWhatInstantToStringWrites() {
        var random = new SplittableRandom(20261205);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(first, last + 1);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            var instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(IsoInstants.format(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void writesTheEdgesOfTheCalendarAsInstantToStringDoes() {
        for (var text : new String[] {
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "2000-02-29T12:00:00.100Z",
            "2100-03-01T00:00:00.000001Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
        }) {
            var instant = Instant.parse(text);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
        for (var instant : new Instant[] {
            Instant.MIN, Instant.MAX, Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z")
        }) {
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }
}
