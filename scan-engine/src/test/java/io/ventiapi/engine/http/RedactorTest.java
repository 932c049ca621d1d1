package io.ventiapi.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Evidence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evidence is stored and shown widely: credentials and secrets must never survive into it. */
class RedactorTest {

    @Test
    void masksCredentialsAndSecretsButKeepsWhatExplainsTheFinding() {
        ProbeRequest request = new ProbeRequest(
                "POST",
                "/login?api_key=sk_live_123&page=2",
                Map.of(
                        "Authorization",
                        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
                        "Cookie",
                        "sid=abc",
                        "Accept",
                        "*/*"),
                "{\"username\":\"alice\",\"password\":\"wonderland\"}".getBytes(StandardCharsets.UTF_8));
        ProbeResponse response = new ProbeResponse(
                request,
                200,
                Map.of("set-cookie", List.of("sid=xyz"), "content-type", List.of("application/json")),
                "{\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\",\"password_hash\":\"$2b$12$abcdefghijklmnop\"}"
                        .getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(5));

        Evidence.Exchange excerpt = Redactor.excerpt(response);

        assertThat(excerpt.request())
                .contains(
                        "Authorization: Bearer [redacted]",
                        "Cookie: [redacted]",
                        "api_key=[redacted]",
                        "page=2",
                        "\"username\":\"alice\"")
                .doesNotContain("sk_live_123", "wonderland", "c2lnbmF0dXJl", "sid=abc");
        assertThat(excerpt.response())
                .contains("HTTP 200", "\"password_hash\":\"$2b$…[redacted]\"")
                .doesNotContain("xyz", "c2lnbmF0dXJl", "abcdefghijklmnop");
    }
}
