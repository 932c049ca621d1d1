package io.ventiapi.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void credentialsInHeadersBodiesQueriesAndTokensAreRedacted() {
        var request = """
                POST /login?api_key=k-123456&page=2 HTTP/1.1
                Host: shop.test
                Authorization: Bearer abc.def.ghi
                Cookie: session=s3cr3t
                X-API-Key: live-key-0001

                {"user": "alice", "password": "hunter2", "refresh_token": "r-1", "note": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"}""";

        var redacted = SecretRedactor.redact(request, List.of());

        assertThat(redacted)
                .doesNotContain("k-123456", "abc.def.ghi", "s3cr3t", "live-key-0001", "hunter2", "r-1", "eyJhbGci")
                .contains("page=2", "Host: shop.test", "\"user\": \"alice\"", "Authorization: [REDACTED]");
    }

    @Test
    void cardNumbersSsnsCvvsPwdAndPrivateKeysAreRedactedAndOrdinaryFieldsKept() {
        var excerpt = """
                HTTP 200
                content-type: application/json

                {"cardNumber":"4111111111111111","ssn":"078-05-1120","pwd":"hunter2!","cvv":737,\
                "pan":5555555555554444,"private_key":"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\\n\
                -----END RSA PRIVATE KEY-----","company":"Pan Am","businessName":"Acme","lifespan":1718035200019}""";

        var redacted = SecretRedactor.redact(excerpt, List.of());

        assertThat(redacted)
                .doesNotContain("4111111111111111", "078-05-1120", "hunter2", "737", "5555555555554444", "MIIEow")
                .contains(
                        "\"cvv\":[REDACTED]",
                        "\"company\":\"Pan Am\"",
                        "\"businessName\":\"Acme\"",
                        "\"lifespan\":1718035200019");
    }

    @Test
    void theLastFourDigitsTheEngineLeavesOfACardNumberStay() {
        assertThat(SecretRedactor.redact(
                        "{\"cardNumber\":\"[redacted]…1111\",\"pan\":\"[redacted]…41111\"}", List.of()))
                .isEqualTo("{\"cardNumber\":\"[redacted]…1111\",\"pan\":\"[REDACTED]\"}");
    }

    @Test
    void aPrivateKeyIsRedactedUnderAnyNameInAnyTextAndWhereAScannersCutEndsIt() {
        var zap =
                "Evidence: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nOther: x";
        assertThat(SecretRedactor.redact(zap, List.of()))
                .doesNotContain("MIIEvQ")
                .contains("-----BEGIN PRIVATE KEY-----[REDACTED]", "Other: x");

        var engineCut = "{\"note\": \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIabc…[truncated]";
        assertThat(SecretRedactor.redact(engineCut, List.of()))
                .isEqualTo("{\"note\": \"-----BEGIN EC PRIVATE KEY-----[REDACTED]…[truncated]");
    }

    @Test
    void queryParametersNamedForCardsSsnsCvvsAndPwdAreRedacted() {
        var redacted = SecretRedactor.redact(
                "GET /pay?cardNumber=4111111111111111&cvv=737&pwd=hunter2&ssn=078051120&span=3&page=2", List.of());

        assertThat(redacted)
                .doesNotContain("4111111111111111", "737", "hunter2", "078051120")
                .contains("span=3", "page=2");
    }

    @Test
    void urlPasswordsAndSignedOrKeyedQueriesAreRedactedAndOrdinaryParametersKept() {
        var text = "GET https://ci:hunter22@shop.test/files?X-Amz-Signature=a1b2&sig=c3d4&key=AIzaE5"
                + "&keyword=shoes&author=ann&code=1'%20OR%20'1'='1&page=2";

        var redacted = SecretRedactor.redact(text, List.of());

        assertThat(redacted)
                .doesNotContain("hunter22", "a1b2", "c3d4", "AIzaE5")
                .contains(
                        "https://[REDACTED]@shop.test/files?",
                        "keyword=shoes",
                        "author=ann",
                        "code=1'%20OR%20'1'='1",
                        "page=2");
    }

    @Test
    void prosePastAnAuthenticationSchemeIsKept() {
        assertThat(SecretRedactor.redact("requires Bearer authentication; Basic Operations team", List.of()))
                .isEqualTo("requires Bearer authentication; Basic Operations team");
        assertThat(SecretRedactor.redact("sent Basic YWxpY2U6c2VjcmV0 and Bearer ab12cd34ef56", List.of()))
                .isEqualTo("sent Basic [REDACTED] and Bearer [REDACTED]");
    }

    @Test
    void knownSecretsAreRedactedAsWrittenUrlEncodedOrEscapedInJson() {
        var secret = "pa ss/\"word&9";
        var excerpt = "GET /x?q=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "\nX-Custom: " + secret
                + "\n\n{\"echo\": \"pa ss/\\\"word&9\"}";

        var redacted = SecretRedactor.redact(excerpt, List.of(secret, "abc"));

        assertThat(redacted)
                .doesNotContain("pa ss", "pa+ss", "word")
                .contains("X-Custom: [REDACTED]", "\"echo\": \"[REDACTED]\"");
        assertThat(SecretRedactor.redact("abc abc", List.of("abc")))
                .as("secrets shorter than %d characters are not searched for", SecretRedactor.MIN_KNOWN_SECRET)
                .isEqualTo("abc abc");
    }

    @Test
    void aSecretContainingAnotherGoesWholeAndPercentEncodedSpacesToo() {
        var redacted = SecretRedactor.redact(
                "user=shopadmin&password=shopadmin2024\nGET /x?q=two%20words%20here",
                List.of("shopadmin", "shopadmin2024", "two words here"));

        assertThat(redacted).doesNotContain("2024", "shopadmin", "words");
    }

    @Test
    void otherEncodersSpellingsAreCaughtToo() {
        var secret = "k+y/s3cret!";
        var redacted = SecretRedactor.redact(
                "GET /x?q=k%2by%2fs3cret%21\n\n{\"echo\": \"k+y\\/s3cret!\", \"X-Api-Key\": \"other-0001\"}",
                List.of(secret));

        assertThat(redacted).doesNotContain("s3cret", "other-0001");
    }

    @Test
    void aKnownSecretWithItsSymbolsEscapedByAJsonWriterOrAnIdentityLineIsCaught() {
        var key = "k3Y+9fQ/zX2+Lw8p==";
        var password = "hunt,er2-horse";
        var excerpt = "{\"received\": {\"X-Partner\": \"k3Y\\u002B9fQ/zX2\\u002bLw8p\\u003D\\u003d\"}}\n"
                + "identity: type=basic,username=u,password=hunt\\,er2-horse";

        var redacted = SecretRedactor.redact(excerpt, List.of(key, password));

        assertThat(redacted).doesNotContain("k3Y", "Lw8p", "hunt", "horse").contains("\"X-Partner\": \"[REDACTED]\"");
    }

    @Test
    void theStartOfAKnownSecretThatAScannersCutEndedIsRedacted() {
        var key = "sk_live_0123456789abcdef";
        var engineCut = "{\"echo\": \"" + key.substring(0, 12) + "…[truncated]";
        var runnerCut = "the server said " + key.substring(0, 20) + "…";

        assertThat(SecretRedactor.redact(engineCut, List.of(key))).isEqualTo("{\"echo\": \"[REDACTED]…[truncated]");
        assertThat(SecretRedactor.redact(runnerCut, List.of(key))).isEqualTo("the server said [REDACTED]…");
        assertThat(SecretRedactor.redact("a short sk_…", List.of(key)))
                .as("fewer than %d characters of it are no secret", SecretRedactor.MIN_KNOWN_SECRET)
                .isEqualTo("a short sk_…");
    }

    @Test
    void aKnownSecretAcrossTheCapIsRedactedBeforeTheCut() {
        var secret = "sk_live_split_across_the_cap";
        var excerpt = "x".repeat(SecretRedactor.MAX_CHARS - 5) + secret;

        assertThat(SecretRedactor.redact(excerpt, List.of(secret))).doesNotContain("sk_li");
    }

    @Test
    void aCredentialTheCapCutsLeavesNothingOfItself() {
        record Cut(String before, String credential, int kept) {}
        for (var cut : List.of(
                new Cut("{\"password\": \"", "hunter2 is my supersecret\"}", 7),
                new Cut("{\"api_key\":\"", "ab\\\"cdefghijkl\"}", 6),
                new Cut("the header was Bearer ", "abcdef123456789", 7),
                new Cut("token ", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2ln", 30),
                new Cut("{\"ssn\": \"", "078-05-1120\"}", 6),
                new Cut("{\"cardNumber\": \"", "4111 1111 1111 1111\"}", 9),
                new Cut("key: ", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA", 40))) {
            // The cap falls inside the credential, which its pattern then no longer finds whole.
            var excerpt = "x".repeat(SecretRedactor.MAX_CHARS - cut.before().length() - cut.kept()) + cut.before()
                    + cut.credential() + " and more";

            var redacted = SecretRedactor.redact(excerpt, List.of());

            assertThat(redacted)
                    .as(cut.credential())
                    .doesNotContain(cut.credential().substring(0, cut.kept()))
                    .contains("[REDACTED]")
                    .endsWith("more characters]");
        }
    }

    @Test
    void hostileExcerptsAreRedactedWithoutExhaustingTheStack() {
        // An unterminated or long quoted value once recursed per character in the regex engine.
        for (var excerpt : List.of(
                "{\"session\":\"" + "a".repeat(SecretRedactor.MAX_CHARS * 2),
                "{\"session\":\"" + "a\\\"".repeat(3000) + "\"}",
                "eyJ".repeat(5000),
                "{\"token\": \"" + "x".repeat(5000) + "\"}")) {
            var redacted = SecretRedactor.redact(excerpt, List.of());

            assertThat(redacted).doesNotContain("aaaaaaaa", "xxxxxxxx");
        }
    }

    @Test
    void longExcerptsAreCapped() {
        var redacted = SecretRedactor.redact("x".repeat(SecretRedactor.MAX_CHARS + 500), List.of());

        assertThat(redacted).hasSizeLessThan(SecretRedactor.MAX_CHARS + 100).endsWith("500 more characters]");
    }
}
