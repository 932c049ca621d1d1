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

    private final MasterKey key = MasterKey.parse(Base64.getEncoder().encodeToString(new byte[32]));
    private final IdentityVault vault = new IdentityVault(key);
    private final UUID project = UUID.randomUUID();
    private final IdentityVault.Binding admin =
            bound("acme", project, "admin", IdentityKind.API_KEY, "https://api.example.com:443", "");

    @Test
    void aSealedSecretOpensOnlyForWhatItWasBoundTo() {
        var secret = new IdentityVault.Secret("sk_live_0123456789abcdef", Map.of());
        var sealed = vault.seal(admin, secret);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk_live");
        assertThat(vault.open(admin, vault.keyId(), sealed)).isEqualTo(secret);
        for (var other : List.of(
                bound("other", project, "admin", IdentityKind.API_KEY, "https://api.example.com:443", ""),
                bound("acme", UUID.randomUUID(), "admin", IdentityKind.API_KEY, "https://api.example.com:443", ""),
                bound("acme", project, "admin2", IdentityKind.API_KEY, "https://api.example.com:443", ""),
                bound("acme", project, "admin", IdentityKind.BEARER, "https://api.example.com:443", ""),
                bound("acme", project, "admin", IdentityKind.API_KEY, "https://evil.example:443", ""),
                bound("acme", project, "admin", IdentityKind.API_KEY, "http://api.example.com:443", ""),
                bound("acme", project, "admin", IdentityKind.API_KEY, "https://api.example.com:8443", ""),
                bound("acme", project, "admin", IdentityKind.API_KEY, "https://api.example.com:443", "https://x:443"),
                new IdentityVault.Binding(
                        "acme",
                        project,
                        "admin",
                        IdentityKind.API_KEY,
                        "https://api.example.com:443",
                        "",
                        "registry.example/evil:1"),
                // No field's content shifts into another.
                bound("acme", project, "admin\",\"API_KEY", IdentityKind.API_KEY, "https://api.example.com:443", ""))) {
            assertThatThrownBy(() -> vault.open(other, vault.keyId(), sealed))
                    .as("%s", other)
                    .hasMessageContaining("tampered");
        }
        assertThatThrownBy(() -> vault.open(admin, "another-key", sealed))
                .hasMessageContaining("another-key")
                .hasMessageContaining("venti.security.previous-master-keys");
        assertThatThrownBy(() -> vault.openUnbound(admin, vault.keyId(), sealed))
                .hasMessageContaining("tampered");
    }

    @Test
    void aSecretSealedBeforeItsBindingOpensUnboundOnly() {
        var secret = new IdentityVault.Secret("sk_live_0123456789abcdef", Map.of());
        var sealedBefore = key.encrypt(
                "{\"secret\":\"sk_live_0123456789abcdef\",\"loginFields\":{}}".getBytes(StandardCharsets.UTF_8),
                ("project-identity:acme:" + project + ":admin").getBytes(StandardCharsets.UTF_8));

        assertThat(vault.openUnbound(admin, vault.keyId(), sealedBefore)).isEqualTo(secret);
        assertThatThrownBy(() -> vault.open(admin, vault.keyId(), sealedBefore)).hasMessageContaining("tampered");
    }

    @Test
    void afterARotationTheOldKeysSecretsStillOpenAndNewOnesUseTheNewKey() {
        var secret = new IdentityVault.Secret("sk_live_0123456789abcdef", Map.of());
        var oldKeyId = vault.keyId();
        var sealedBefore = vault.seal(admin, secret);

        var rotated = new IdentityVault(MasterKey.parse(
                Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8)),
                List.of(Base64.getEncoder().encodeToString(new byte[32]))));

        assertThat(rotated.keyId()).isNotEqualTo(oldKeyId);
        assertThat(rotated.isPrevious(oldKeyId)).isTrue();
        assertThat(rotated.open(admin, oldKeyId, sealedBefore)).isEqualTo(secret);
        var sealedAfter = rotated.seal(admin, secret);
        assertThat(rotated.open(admin, rotated.keyId(), sealedAfter)).isEqualTo(secret);
        assertThatThrownBy(() -> vault.open(admin, rotated.keyId(), sealedAfter))
                .hasMessageContaining(rotated.keyId());
    }

    private static IdentityVault.Binding bound(
            String tenant, UUID project, String name, IdentityKind kind, String target, String tokenOrigin) {
        return new IdentityVault.Binding(tenant, project, name, kind, target, tokenOrigin, "");
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
