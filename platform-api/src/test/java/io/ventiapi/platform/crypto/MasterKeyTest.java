package io.ventiapi.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private static final String ZEROS = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER =
            Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8));

    private final MasterKey key = MasterKey.parse(ZEROS);
    private final byte[] aad = "signing-key:k1".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatItSealsOnlyItOpens() {
        var secret = "private key bytes".getBytes(StandardCharsets.UTF_8);
        var sealed = key.encrypt(secret, aad);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private key bytes");
        assertThat(key.decrypt(key.id(), sealed, aad)).isEqualTo(secret);

        var other = MasterKey.parse(OTHER);
        assertThat(other.id()).isNotEqualTo(key.id());
        assertThatThrownBy(() -> other.decrypt(key.id(), sealed, aad))
                .hasMessageContaining(key.id())
                .hasMessageContaining("venti.security.previous-master-keys");
        assertThatThrownBy(() -> other.decrypt(other.id(), sealed, aad)).hasMessageContaining("wrong master key");
    }

    @Test
    void aRotatedKeyOpensWhatItSealedWhileTheNewOneSeals() {
        var secret = "private key bytes".getBytes(StandardCharsets.UTF_8);
        var sealedBefore = key.encrypt(secret, aad);

        var rotated = MasterKey.parse(OTHER, List.of(ZEROS));

        assertThat(rotated.id()).isEqualTo(MasterKey.parse(OTHER).id());
        assertThat(rotated.hasPrevious()).isTrue();
        assertThat(rotated.isPrevious(key.id())).isTrue();
        assertThat(rotated.isPrevious(rotated.id())).isFalse();
        assertThat(rotated.isPrevious("unknown")).isFalse();
        assertThat(rotated.decrypt(key.id(), sealedBefore, aad)).isEqualTo(secret);
        var sealedAfter = rotated.encrypt(secret, aad);
        assertThat(rotated.decrypt(rotated.id(), sealedAfter, aad)).isEqualTo(secret);
        assertThatThrownBy(() -> key.decrypt(key.id(), sealedAfter, aad)).hasMessageContaining("wrong master key");
        assertThat(MasterKey.parse(ZEROS).hasPrevious()).isFalse();
    }

    @Test
    void tamperingOrMovingCiphertextToAnotherKeyIdIsDetected() {
        var sealed = key.encrypt("x".getBytes(StandardCharsets.UTF_8), aad);
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> key.decrypt(key.id(), sealed, aad)).hasMessageContaining("tampered");
        var intact = key.encrypt("x".getBytes(StandardCharsets.UTF_8), aad);
        assertThatThrownBy(() -> key.decrypt(key.id(), intact, "signing-key:k2".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("tampered");
        // Cut shorter than its nonce: as damaged as any other, not an unexpected kind of failure.
        assertThatThrownBy(() -> key.decrypt(key.id(), new byte[5], aad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tampered");
    }

    @Test
    void aMissingOrShortKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> MasterKey.parse(null)).hasMessageContaining("VENTI_SECURITY_MASTER_KEY");
        assertThatThrownBy(() -> MasterKey.parse("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKey.parse("%%%")).hasMessageContaining("base64");
        assertThatThrownBy(() -> MasterKey.parse(ZEROS, List.of("c2hvcnQ=")))
                .hasMessageContaining("previous-master-keys")
                .hasMessageContaining("32 bytes");
    }
}
