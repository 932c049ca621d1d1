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
}
