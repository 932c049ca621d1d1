package io.ventiapi.platform.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.Secrets;
import io.ventiapi.platform.common.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordRulesTest {

    private static final String USERNAME = "alice.smith@acme.test";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|choose a new password",
                "short one|at least 12 characters",
                // Characters, not UTF-16 units: eleven emoji are eleven characters.
                "😀😁😂🤣😃😄😅😆😉😊😋|at least 12 characters",
                "aaaaaaaaaaaaaaaa|at least 5 different characters",
                "12121212121212|at least 5 different characters",
                "my alice.smith@acme.test!|must not contain your username",
                "ALICE.SMITH is my name|must not contain your username",
            })
    void aPasswordBreakingARuleIsRefusedSayingWhich(String password, String why) {
        assertThatThrownBy(() -> PasswordRules.check(password, USERNAME, "newPassword"))
                .isInstanceOfSatisfying(UserErrorException.class, e -> {
                    assertThat(e.error().message()).contains(why);
                    assertThat(e.error().field()).isEqualTo("newPassword");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "twelve chars", "Ünïcödé pässwörd", "ali is short"})
    void aLongEnoughPasswordOfAnyCharactersIsAccepted(String password) {
        assertThatCode(() -> PasswordRules.check(password, USERNAME, "newPassword"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {PasswordRules.MAX_LENGTH, PasswordRules.MAX_LENGTH + 1})
    void aPasswordIsAtMostSoLong(int length) {
        var password = "abcdefghij".repeat(length / 10 + 1).substring(0, length);
        if (length > PasswordRules.MAX_LENGTH) {
            assertThatThrownBy(() -> PasswordRules.check(password, USERNAME, "newPassword"))
                    .hasMessageContaining("at most " + PasswordRules.MAX_LENGTH);
        } else {
            assertThatCode(() -> PasswordRules.check(password, USERNAME, "newPassword"))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theOneTimePasswordsThePlatformGeneratesPassItsOwnRules() {
        for (int i = 0; i < 100; i++) {
            var password = Secrets.random(18);
            assertThatCode(() -> PasswordRules.check(password, USERNAME, "newPassword"))
                    .doesNotThrowAnyException();
        }
    }
}
