package io.ventiapi.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogRedactionTest {

    @Test
    void keysNamingSecretsAreRedactedAtAnyDepthAndOtherValuesKept() {
        var summary = Map.of(
                "name", "Shop",
                "clientSecret", "cs_live_1",
                "identities",
                        List.of(Map.of("name", "admin", "Api-Key", "ak_live_2", "loginFields", Map.of("pwd", "p3"))),
                "headers", Map.of("Authorization", "Bearer t0k", "Cookie", "sid=4", "Accept", "json"),
                "settings", Map.of("passphrase", "correct horse", "nested", List.of(List.of(Map.of("session", "s5")))));

        var redacted = AuditLog.redact(summary).toString();

        assertThat(redacted)
                .doesNotContain("cs_live_1", "ak_live_2", "p3", "t0k", "sid=4", "correct horse", "s5")
                .contains("name=Shop", "name=admin", "Accept=json", "[redacted]");
    }

    @Test
    void moreSecretKeysAndCredentialsInsideOtherValuesAreRedacted() {
        var summary = Map.of(
                "jwt", "j1",
                "accessKeyId", "ak2",
                "requestSignature", "sg3",
                "bearerToken", "bt4",
                "passcode", "pc5",
                "note", "sent Bearer abcdefgh12345678 to https://u:pw6@idp.test/jwks?api_key=k7&v=2",
                "list", List.of("https://idp.test/x?token=t8"));

        var redacted = AuditLog.redact(summary).toString();

        assertThat(redacted)
                .doesNotContain("j1", "ak2", "sg3", "bt4", "pc5", "abcdefgh12345678", "pw6", "k7", "t8")
                .contains("sent Bearer [REDACTED] to https://[REDACTED]@idp.test/jwks?api_key=[REDACTED]&v=2");
    }
}
