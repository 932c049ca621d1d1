package io.ventiapi.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Short names of sensitive data are whole words of a field name, not parts of ordinary words. */
class FieldNamesTest {

    @Test
    void namesAreReadAsWordsWhateverTheirCase() {
        assertThat(FieldNames.words("cardNumber")).containsExactly("card", "number");
        assertThat(FieldNames.words("card_number")).containsExactly("card", "number");
        assertThat(FieldNames.words("PANNumber")).containsExactly("pan", "number");
        assertThat(FieldNames.words("x-Card-NO")).containsExactly("x", "card", "no");
    }

    @Test
    void cardNumberSsnAndCvvNamesMatchWholeWords() {
        assertThat(FieldNames.isCardNumber("billing_card_no")).isTrue();
        assertThat(FieldNames.isCardNumber("PAN")).isTrue();
        assertThat(FieldNames.isCardNumber("lifespan")).isFalse();
        assertThat(FieldNames.isCardNumber("discardedAt")).isFalse();
        assertThat(FieldNames.isCardNumber("cardId")).isFalse();
        assertThat(FieldNames.isCardNumber("panel")).isFalse();
        assertThat(FieldNames.isExactlyCardNumber("cardNumber")).isTrue();
        assertThat(FieldNames.isExactlyCardNumber("oldCardNumber")).isFalse();
        assertThat(FieldNames.isSocialSecurityNumber("customer_ssn")).isTrue();
        assertThat(FieldNames.isSocialSecurityNumber("businessName")).isFalse();
        assertThat(FieldNames.isSocialSecurityNumber("className")).isFalse();
        assertThat(FieldNames.isCardVerificationCode("card_cvc2")).isTrue();
        assertThat(FieldNames.isCardVerificationCode("CVV")).isTrue();
    }
}
