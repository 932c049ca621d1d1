package io.ventiapi.engine.check.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.check.OneOperationTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as a secret in a response, and what does not. */
class SensitiveDataCheckTest {

    @Test
    void recognisesSecretsByNameAndShape() {
        assertThat(SensitiveDataCheck.classify("password", "hunter22", false)).contains("secret");
        assertThat(SensitiveDataCheck.classify("userPassword", "hunter22", false))
                .contains("secret");
        assertThat(SensitiveDataCheck.classify(
                        "hash", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", false))
                .isEqualTo("a password hash");
        assertThat(SensitiveDataCheck.classify("key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE", false))
                .isEqualTo("a private key");
        assertThat(SensitiveDataCheck.classify("card_number", "4111 1111 1111 1111", false))
                .isEqualTo("a payment card number");
        assertThat(SensitiveDataCheck.classify("refresh_token", "eyJhbGciOiJIUzI1NiJ9.payload.sig", false))
                .contains("token");
    }

    @Test
    void leavesOrdinaryAndExpectedValuesAlone() {
        assertThat(SensitiveDataCheck.classify("password", "********", false))
                .as("masked")
                .isNull();
        assertThat(SensitiveDataCheck.classify("card_number", "4111 1111 1111 1112", false))
                .as("not Luhn-valid")
                .isNull();
        assertThat(SensitiveDataCheck.classify("order_number", "4111111111111111", false))
                .as("not a card field")
                .isNull();
        assertThat(SensitiveDataCheck.classify("token", "eyJhbGciOiJIUzI1NiJ9.payload.sig", true))
                .as("login response")
                .isNull();
        assertThat(SensitiveDataCheck.classify("passwordPolicy", "min 12 characters", false))
                .isNull();
        assertThat(SensitiveDataCheck.classify("name", "alice", false)).isNull();
    }

    @Test
    void cardNumbersAreFoundByNameWordsNetworkPrefixAndCheckDigit() {
        for (String[] card : List.of(
                new String[] {"cardNumber", "4111 1111 1111 1111"},
                new String[] {"pan", "5555555555554444"},
                new String[] {"PAN", "5555-5555-5555-4444"},
                new String[] {"card_num", "378282246310005"},
                new String[] {"cardNo", "6011111111111117"},
                new String[] {"ccnum", "2223003122003222"},
                new String[] {"cc_number", "3530111333300000"},
                new String[] {"creditCardNumber", "4012888888881881"})) {
            assertThat(SensitiveDataCheck.classify(card[0], card[1], false))
                    .as(card[0])
                    .isEqualTo("a payment card number");
        }
    }

    @Test
    void timestampsIdsAndWordsThatHoldCardOrPanAreNoCardNumbers(@TempDir Path dir) throws IOException {
        // Each passes Luhn, as one such number in ten does.
        assertThat(SensitiveDataCheck.classify("discardedAt", "1718035200001", false))
                .as("epoch milliseconds under a name holding \"card\"")
                .isNull();
        assertThat(SensitiveDataCheck.classify("cardId", "1234567890123456785", false))
                .as("a snowflake id of a card")
                .isNull();
        assertThat(SensitiveDataCheck.classify("lifespan", "1718035200019", false))
                .as("a name ending in pan")
                .isNull();
        assertThat(SensitiveDataCheck.classify("cardNumber", "1718035200001", false))
                .as("no card network issues numbers starting with 1")
                .isNull();
        String card = "{\"cardId\":1234567890123456785,\"discardedAt\":1718035200001,\"lifespan\":1718035200019}";
        assertThat(findings(
                        dir, "GET", "/cards", "{\"items\":[" + String.join(",", Collections.nCopies(20, card)) + "]}"))
                .as("a listing of 20 cards")
                .isEmpty();
    }

    @Test
    void aCardNumberWrittenAsAJsonNumberCountsOnlyUnderACardNumberName(@TempDir Path dir) throws IOException {
        assertThat(findings(dir, "GET", "/cards/1", "{\"id\":1,\"pan\":4111111111111111}"))
                .extracting(Finding::parameter)
                .containsExactly("response:pan");
        assertThat(findings(dir, "GET", "/cards/1", "{\"id\":1,\"creditCardLimit\":4111111111111111}"))
                .isEmpty();
    }

    @Test
    void pagingSyncAndFormTokensAreNoCredentials() {
        String opaque = "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA3EgZyZXZpZXc";
        for (String name : List.of(
                "nextPageToken",
                "pageToken",
                "NextToken",
                "continuationToken",
                "next_cursor_token",
                "syncToken",
                "csrfToken",
                "xsrf_token",
                "deviceToken")) {
            assertThat(SensitiveDataCheck.classify(name, opaque, false))
                    .as(name)
                    .isNull();
        }
    }

    @Test
    void credentialTokensAreFoundByNameOrJwtShape() {
        String opaque = "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4";
        for (String name :
                List.of("token", "access_token", "accessToken", "refreshToken", "id_token", "authToken", "sessionId")) {
            assertThat(SensitiveDataCheck.classify(name, opaque, false))
                    .as(name)
                    .contains("token");
        }
        assertThat(SensitiveDataCheck.classify(
                        "githubAuth", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl", false))
                .as("a JWT under a name that says auth")
                .contains("token");
    }

    @Test
    void tokensNamedForWhatTheyUnlockAreCredentials() {
        String opaque = "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4";
        for (String name : List.of(
                "resetToken",
                "passwordResetToken",
                "private_token",
                "verificationToken",
                "inviteToken",
                "githubToken",
                "userToken")) {
            assertThat(SensitiveDataCheck.classify(name, opaque, false))
                    .as(name)
                    .contains("token");
            assertThat(SensitiveDataCheck.classify(name, "short-value", false))
                    .as(name + " too short for a credential")
                    .isNull();
            assertThat(SensitiveDataCheck.classify(name, opaque, true))
                    .as(name + " in a login or token operation")
                    .isNull();
        }
    }

    @Test
    void onlyKeysAndSecretsAreIssuedWithTheObjectTheyBelongTo() {
        for (String name : List.of("apiKey", "api_key", "client_secret", "secret", "signingSecret", "secretKey")) {
            assertThat(SensitiveDataCheck.classify(name, OPAQUE, false, true))
                    .as(name + " of the object just created")
                    .isNull();
            assertThat(SensitiveDataCheck.classify(name, OPAQUE, false, false))
                    .as(name + " anywhere else")
                    .contains("secret");
        }
        for (String name : List.of("password", "passwordHash", "password_salt", "privateKey")) {
            assertThat(SensitiveDataCheck.classify(name, OPAQUE, false, true))
                    .as(name + " of the object just created")
                    .contains("secret");
        }
    }

    @Test
    void aKeyOrSecretHandedToItsCreatorIsByDesign(@TempDir Path dir) throws IOException {
        assertThat(findings(
                        dir, "POST", "/api-keys", "{\"id\":1,\"name\":\"ci\",\"apiKey\":\"sk_live_" + OPAQUE + "\"}"))
                .as("POST /api-keys answering the new key")
                .isEmpty();
        assertThat(findings(
                        dir,
                        "POST",
                        "/oauth/clients",
                        "{\"client_id\":\"c-81\",\"client_secret\":\"" + OPAQUE + "\",\"name\":\"ci\"}"))
                .as("POST /oauth/clients answering the new client's secret")
                .isEmpty();
        assertThat(findings(
                        dir,
                        "POST",
                        "/webhooks",
                        "{\"success\":true,\"data\":{\"id\":3,\"name\":\"ci\",\"secret\":\"whsec_" + OPAQUE + "\"}}"))
                .as("POST /webhooks answering the new webhook's signing secret, in an envelope")
                .isEmpty();
    }

    @Test
    void keysShownAgainOrBesideTheCreatedObjectAndPasswordsAreStillReported(@TempDir Path dir) throws IOException {
        assertThat(findings(dir, "GET", "/api-keys", "{\"items\":[{\"id\":1,\"apiKey\":\"sk_live_" + OPAQUE + "\"}]}"))
                .as("a listing that shows every key again")
                .extracting(Finding::parameter)
                .containsExactly("response:apiKey");
        assertThat(findings(
                        dir,
                        "POST",
                        "/orders",
                        "{\"id\":9,\"name\":\"ci\",\"customer\":{\"id\":7,\"apiKey\":\"sk_live_" + OPAQUE + "\"}}"))
                .as("an order that shows its customer's key: not the object the POST created")
                .extracting(Finding::parameter)
                .containsExactly("response:apiKey");
        assertThat(findings(dir, "POST", "/users", "{\"id\":7,\"name\":\"ci\",\"password\":\"hunter22\"}"))
                .as("a password, even of the account just created")
                .extracting(Finding::parameter)
                .containsExactly("response:password");
        assertThat(findings(
                        dir,
                        "POST",
                        "/ssh-keys",
                        "{\"id\":4,\"name\":\"ci\",\"privateKey\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIE\"}"))
                .as("a private key, even of the key pair just created")
                .extracting(Finding::parameter)
                .containsExactly("response:privateKey");
    }

    @Test
    void theEvidenceDoesNotCarryTheValuesTheFindingsReport(@TempDir Path dir) throws IOException {
        List<Finding> found = findings(
                dir,
                "GET",
                "/users/1",
                "{\"id\":1,\"cardNumber\":\"4111111111111111\",\"ssn\":\"078-05-1120\",\"pwd\":\"hunter2!\","
                        + "\"privateKey\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\","
                        + "\"digest\":\"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\"}");

        assertThat(found)
                .extracting(Finding::parameter)
                .containsExactlyInAnyOrder(
                        "response:cardNumber",
                        "response:ssn",
                        "response:pwd",
                        "response:privateKey",
                        "response:digest");
        for (Finding finding : found) {
            assertThat(finding.evidence().exchanges().getFirst().response())
                    .as(finding.parameter())
                    .doesNotContain("4111111111111111", "078-05-1120", "hunter2", "MIIEow", "R9h/cIPz")
                    .contains("\"cardNumber\":\"[redacted]…1111\"", "\"digest\":\"$2b$…[redacted]\"");
        }
    }

    private static final String OPAQUE = "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4";

    /** The check's findings on one operation that answers {@code answer}; POSTs take a {@code name}. */
    private static List<Finding> findings(Path dir, String method, String path, String answer) throws IOException {
        String body = method.equals("POST")
                ? "      requestBody: {content: {application/json: {schema: "
                        + "{type: object, properties: {name: {type: string, example: ci}}}}}}\n"
                : "";
        String spec = """
                openapi: 3.0.3
                info: {title: Keys, version: 1.0.0}
                paths:
                  %s:
                    %s:
                      operationId: probed
                %s      responses: {'200': {description: answer}}
                """.formatted(path, method.toLowerCase(Locale.ROOT), body);
        try (OneOperationTarget target = new OneOperationTarget(dir, spec, ex -> {
            try (ex) {
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        })) {
            new SensitiveDataCheck().checkOperation(target.context(), target.baseline());
            return target.findings();
        }
    }
}
