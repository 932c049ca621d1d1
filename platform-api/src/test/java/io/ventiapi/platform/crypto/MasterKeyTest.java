package io.ventiapi.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private final MasterKey key = MasterKey.parse(Base64.getEncoder().encodeToString(new byte[32]));
    private final byte[] aad = "signing-key:k1".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatItSealsOnlyItOpens() {
        var secret = "private key bytes".getBytes(StandardCharsets.UTF_8);
        var sealed = key.encrypt(secret, aad);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private key bytes");
        assertThat(key.decrypt(sealed, aad)).isEqualTo(secret);

        var other = MasterKey.parse(Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes()));
        assertThatThrownBy(() -> other.decrypt(sealed, aad)).hasMessageContaining("wrong master key");
        assertThat(other.id()).isNotEqualTo(key.id());
    }

    @Test
    void tamperingOrMovingCiphertextToAnotherKeyIdIsDetected() {
        var sealed = key.encrypt("x".getBytes(StandardCharsets.UTF_8), aad);
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> key.decrypt(sealed, aad)).hasMessageContaining("tampered");
        var intact = key.encrypt("x".getBytes(StandardCharsets.UTF_8), aad);
        assertThatThrownBy(() -> key.decrypt(intact, "signing-key:k2".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("tampered");
    }

    @Test
    void aMissingOrShortKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> MasterKey.parse(null)).hasMessageContaining("VENTI_SECURITY_MASTER_KEY");
        assertThatThrownBy(() -> MasterKey.parse("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKey.parse("%%%")).hasMessageContaining("base64");
    }
}
