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
                        "\"username\":\"alice\"",
                        "\"password\":\"[redacted]\"")
                .doesNotContain("sk_live_123", "wonderland", "c2lnbmF0dXJl", "sid=abc");
        assertThat(excerpt.response())
                .contains("HTTP 200", "\"password_hash\":\"$2b$…[redacted]\"")
                .doesNotContain("xyz", "c2lnbmF0dXJl", "abcdefghijklmnop");
    }

    @Test
    void cardNumbersSsnsCvvsPasswordsAndPrivateKeysAreMaskedAndOrdinaryFieldsKept() {
        String body = "{\"cardNumber\":\"4111111111111111\",\"ssn\":\"078-05-1120\",\"pwd\":\"hunter2!\",\"cvv\":737,"
                + "\"privateKey\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAtopsecret\\n-----END RSA PRIVATE KEY-----\","
                + "\"password\":\"wonderland\",\"api_key\":\"k-90210\",\"company\":\"Pan Am\",\"businessName\":\"Acme\",\"lifespan\":1718035200019}";

        String excerpt = Redactor.excerpt(answer("application/json", body)).response();

        assertThat(excerpt)
                .doesNotContain(
                        "411111111111", "078-05", "1120", "hunter2", "737", "MIIEow", "topsecret", "wond", "k-90")
                .contains(
                        "\"cardNumber\":\"[redacted]…1111\"",
                        "\"ssn\":\"[redacted]\"",
                        "\"pwd\":\"[redacted]\"",
                        "\"cvv\":[redacted]",
                        "\"privateKey\":\"-----BEGIN RSA PRIVATE KEY-----…[redacted]\"",
                        "\"password\":\"[redacted]\"",
                        "\"api_key\":\"[redacted]\"",
                        "\"company\":\"Pan Am\"",
                        "\"businessName\":\"Acme\"",
                        "\"lifespan\":1718035200019");
    }

    @Test
    void aPrivateKeyIsMaskedUnderAnyNameInAnyTextAndWhereTheExcerptsCutEndsIt() {
        String pem =
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        assertThat(Redactor.excerpt(answer("text/plain", "key material:\n" + pem + "done"))
                        .response())
                .doesNotContain("b3Blbn")
                .contains("-----BEGIN OPENSSH PRIVATE KEY-----…[redacted]", "done");

        String cutInKey = "{\"note\":\"" + "x".repeat(1900) + "\",\"config\":\"-----BEGIN EC PRIVATE KEY-----\\n"
                + "MHcCAQEEI".repeat(50) + "\"}";
        assertThat(Redactor.excerpt(answer("application/json", cutInKey)).response())
                .doesNotContain("MHcCAQ")
                .endsWith("-----BEGIN EC PRIVATE KEY-----…[redacted]…[truncated]");

        // The excerpt's limit falls ten characters into the password.
        String cutInPassword = "{\"note\":\"" + "x".repeat(1967) + "\",\"password\":\"correct horse battery staple\"}";
        assertThat(Redactor.excerpt(answer("application/json", cutInPassword)).response())
                .doesNotContain("correct")
                .endsWith("\"password\":\"[redacted]…[truncated]");
    }

    @Test
    void queryParametersNamedForThemAreMaskedToo() {
        ProbeRequest request = new ProbeRequest(
                "GET", "/cards?pwd=hunter2&card_number=4111111111111111&cvv=737&page=2", Map.of(), null);

        assertThat(Redactor.excerpt(new ProbeResponse(request, 204, Map.of(), new byte[0], Duration.ofMillis(5)))
                        .request())
                .contains("pwd=[redacted]", "card_number=[redacted]", "cvv=[redacted]", "page=2")
                .doesNotContain("hunter2", "4111", "737");
    }

    @Test
    void aValueWithEscapedQuotesOrCutInAnEscapeIsMaskedWhole() {
        assertThat(Redactor.excerpt(answer("application/json", "{\"password\":\"a\\\"b\\\"secret\",\"id\":1}"))
                        .response())
                .endsWith("\n{\"password\":\"[redacted]\",\"id\":1}");
        assertThat(Redactor.excerpt(answer("application/json", "{\"password\":\"open\\"))
                        .response())
                .endsWith("\n{\"password\":\"[redacted]");
    }

    private static ProbeResponse answer(String contentType, String body) {
        return new ProbeResponse(
                new ProbeRequest("GET", "/users/1", Map.of(), null),
                200,
                Map.of("content-type", List.of(contentType)),
                body.getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(5));
    }
}
