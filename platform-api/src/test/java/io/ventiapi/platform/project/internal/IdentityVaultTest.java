package io.ventiapi.platform.project.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.IdentityKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityVaultTest {

    private final IdentityVault vault =
            new IdentityVault(MasterKey.parse(Base64.getEncoder().encodeToString(new byte[32])));
    private final UUID project = UUID.randomUUID();

    @Test
    void aSealedSecretOpensOnlyForItsOwnTenantProjectAndName() {
        var secret = new IdentityVault.Secret("sk_live_0123456789abcdef", Map.of());
        var sealed = vault.seal("acme", project, "admin", secret);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk_live");
        assertThat(vault.open("acme", project, "admin", vault.keyId(), sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> vault.open("other", project, "admin", vault.keyId(), sealed))
                .hasMessageContaining("tampered");
        assertThatThrownBy(() -> vault.open("acme", UUID.randomUUID(), "admin", vault.keyId(), sealed))
                .hasMessageContaining("tampered");
        assertThatThrownBy(() -> vault.open("acme", project, "admin", "another-key", sealed))
                .hasMessageContaining("another-key")
                .hasMessageContaining("venti.security.previous-master-keys");
    }

    @Test
    void afterARotationTheOldKeysSecretsStillOpenAndNewOnesUseTheNewKey() {
        var secret = new IdentityVault.Secret("sk_live_0123456789abcdef", Map.of());
        var oldKeyId = vault.keyId();
        var sealedBefore = vault.seal("acme", project, "admin", secret);

        var rotated = new IdentityVault(MasterKey.parse(
                Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8)),
                List.of(Base64.getEncoder().encodeToString(new byte[32]))));

        assertThat(rotated.keyId()).isNotEqualTo(oldKeyId);
        assertThat(rotated.isPrevious(oldKeyId)).isTrue();
        assertThat(rotated.open("acme", project, "admin", oldKeyId, sealedBefore))
                .isEqualTo(secret);
        var sealedAfter = rotated.seal("acme", project, "admin", secret);
        assertThat(rotated.open("acme", project, "admin", rotated.keyId(), sealedAfter))
                .isEqualTo(secret);
        assertThatThrownBy(() -> vault.open("acme", project, "admin", rotated.keyId(), sealedAfter))
                .hasMessageContaining(rotated.keyId());
    }

    @Test
    void hintsRevealAtMostTheLastFourCharactersOfARandomKey() {
        assertThat(new IdentityVault.Secret("sk_live_0123456789abcdef", null).hint(IdentityKind.API_KEY))
                .isEqualTo("••••cdef");
        assertThat(new IdentityVault.Secret("short", null).hint(IdentityKind.BEARER))
                .isEqualTo("••••");
        assertThat(new IdentityVault.Secret("a-long-human-chosen-password", null).hint(IdentityKind.BASIC))
                .isEqualTo("••••");
        assertThat(new IdentityVault.Secret(null, Map.of("username", "alice", "password", "pw"))
                        .hint(IdentityKind.LOGIN_FLOW))
                .isEqualTo("password, username: ••••");
        assertThat(new IdentityVault.Secret("sk_live_0123456789abcdef", null).toString())
                .doesNotContain("sk_live");
    }
}
