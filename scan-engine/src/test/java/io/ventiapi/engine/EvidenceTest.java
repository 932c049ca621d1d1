package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceTest {

    @Test
    void knownSecretsGoWhereverTheTargetEchoedThem() {
        var evidence = new Evidence(
                List.of(new Evidence.Exchange(
                        "GET /echo?next=a%2Bb%2Fc%3D%3Dxyz HTTP/1.1\nX-Subscription: opaque-token-123\n",
                        "HTTP 200\n\n{\"you sent\": \"opaque-token-123\", \"pin\": \"123\", \"user\": \"admin\"}", 5)),
                "the target echoed opaque-token-123");

        var redacted = evidence.redacting(List.of("opaque-token-123", "a+b/c==xyz", "admin", "123"));

        var exchange = redacted.exchanges().getFirst();
        assertThat(exchange.request())
                .doesNotContain("opaque-token-123", "a%2Bb%2Fc%3D%3Dxyz")
                .contains("[redacted]");
        assertThat(exchange.response())
                .doesNotContain("opaque-token-123", "admin")
                .as("a secret of three characters would blank out ordinary text")
                .contains("\"123\"");
        assertThat(redacted.explanation()).isEqualTo("the target echoed [redacted]");
        assertThat(exchange.elapsedMillis()).isEqualTo(5);
    }
}
