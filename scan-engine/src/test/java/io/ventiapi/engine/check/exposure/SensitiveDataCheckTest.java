package io.ventiapi.engine.check.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
