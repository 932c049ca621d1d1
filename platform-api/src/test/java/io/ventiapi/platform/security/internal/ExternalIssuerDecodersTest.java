package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.issuer.TrustedIssuerRemoved;
import io.ventiapi.platform.outbound.OutboundProperties;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Tenant admins add registrations, and each keeps a decoder with its key set: what is kept is
 * bounded. A decoder handed out anew is one whose kept keys (and pauses) are gone.
 */
class ExternalIssuerDecodersTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final ExternalIssuerDecoders decoders =
            new ExternalIssuerDecoders(new OutboundUrlPolicy(new OutboundProperties(true, false)), clock);

    @Test
    void registrationsNamingTheSameIssuerAndKeySetShareOneDecoder() {
        var first = decoders.decoder("https://idp.example", null);

        assertThat(decoders.decoder("https://idp.example", null)).isSameAs(first);
        assertThat(decoders.decoder("https://idp.example", "https://idp.example/keys"))
                .isNotSameAs(first);
        assertThat(decoders.size()).isEqualTo(2);
    }

    @Test
    void atMostMaxKeptAreKeptAndTheLeastRecentlyUsedGoesFirst() {
        var often = decoders.decoder("https://often.example", null);
        for (int i = 0; i < ExternalIssuerDecoders.MAX_KEPT + 100; i++) {
            decoders.decoder("https://idp-" + i + ".example", null);
            assertThat(decoders.decoder("https://often.example", null)).isSameAs(often);
        }

        assertThat(decoders.size()).isEqualTo(ExternalIssuerDecoders.MAX_KEPT);
        assertThat(decoders.decoder("https://often.example", null)).isSameAs(often);
        var dropped = decoders.decoder("https://idp-0.example", null);
        assertThat(decoders.size()).isEqualTo(ExternalIssuerDecoders.MAX_KEPT);
        assertThat(decoders.decoder("https://idp-0.example", null)).isSameAs(dropped);
    }

    @Test
    void oneUnusedForLongerThanIdleIsDropped() {
        var unused = decoders.decoder("https://unused.example", null);
        var used = decoders.decoder("https://used.example", null);
        clock.advance(ExternalIssuerDecoders.IDLE.minus(Duration.ofSeconds(1)));
        decoders.decoder("https://used.example", null);
        clock.advance(Duration.ofSeconds(2));

        assertThat(decoders.decoder("https://used.example", null)).isSameAs(used);
        assertThat(decoders.size()).isEqualTo(1);
        assertThat(decoders.decoder("https://unused.example", null)).isNotSameAs(unused);
    }

    @Test
    void aRemovedRegistrationsDecoderIsDropped() {
        var removed = decoders.decoder("https://idp.example", "https://idp.example/keys");
        var other = decoders.decoder("https://idp.example", null);

        decoders.removed(new TrustedIssuerRemoved("https://idp.example", "https://idp.example/keys"));

        assertThat(decoders.size()).isEqualTo(1);
        assertThat(decoders.decoder("https://idp.example", null)).isSameAs(other);
        assertThat(decoders.decoder("https://idp.example", "https://idp.example/keys"))
                .isNotSameAs(removed);
    }
}
