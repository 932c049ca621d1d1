package io.ventiapi.engine.http;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a field name as the words it is written in ({@code cardNumber}, {@code card_number} and {@code CARD-NO}
 * alike), so that short names of sensitive data ({@code pan}, {@code ssn}, {@code cvv}) match whole words and
 * not parts of ordinary ones ({@code lifespan}, {@code businessName}, {@code discardedAt}).
 */
public final class FieldNames {

    /** Separators, and the start of a capitalised word in camelCase or after an acronym ({@code PANNumber}). */
    private static final Pattern WORD_BREAK =
            Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

    /** Card number names, written together; {@code pan} only counts as the whole name (see below). */
    private static final Set<String> CARD_NUMBER = Set.of(
            "cardnumber",
            "cardnum",
            "cardno",
            "ccnumber",
            "ccnum",
            "ccno",
            "creditcard",
            "debitcard",
            "primaryaccountnumber");

    private static final Set<String> SOCIAL_SECURITY_NUMBER = Set.of("ssn", "socialsecuritynumber", "socialsecurityno");

    private static final Set<String> CARD_VERIFICATION =
            Set.of("cvv", "cvv2", "cvc", "cvc2", "cardverificationvalue", "cardverificationcode", "cardsecuritycode");

    private FieldNames() {}

    /** The name's words, in lower case. */
    static List<String> words(String name) {
        return Arrays.stream(WORD_BREAK.split(name))
                .filter(word -> !word.isEmpty())
                .map(word -> word.toLowerCase(Locale.ROOT))
                .toList();
    }

    /**
     * A name that says it holds a card number: some run of its words is one ({@code cardNumber},
     * {@code billing_card_no}, {@code creditCardNumber}, {@code ccnum}), or it is {@code pan} and nothing else,
     * since pan is also a word of its own (a frying pan, a camera pan).
     */
    public static boolean isCardNumber(String name) {
        return isExactlyCardNumber(name) || hasRun(words(name), CARD_NUMBER);
    }

    /** A name that is a card number's name and nothing more ({@code cardNumber}, {@code pan}, not {@code oldCardNo}). */
    public static boolean isExactlyCardNumber(String name) {
        String whole = String.join("", words(name));
        return whole.equals("pan") || CARD_NUMBER.contains(whole);
    }

    /** A name that says it holds a social security number ({@code ssn}, {@code customer_ssn}). */
    public static boolean isSocialSecurityNumber(String name) {
        return hasRun(words(name), SOCIAL_SECURITY_NUMBER);
    }

    /** A name that says it holds a card's verification code ({@code cvv}, {@code card_cvc2}). */
    public static boolean isCardVerificationCode(String name) {
        return hasRun(words(name), CARD_VERIFICATION);
    }

    /** Whether some run of consecutive words, written together, is one of {@code names}. */
    private static boolean hasRun(List<String> words, Set<String> names) {
        for (int from = 0; from < words.size(); from++) {
            StringBuilder run = new StringBuilder();
            for (int to = from; to < words.size(); to++) {
                run.append(words.get(to));
                if (names.contains(run.toString())) {
                    return true;
                }
            }
        }
        return false;
    }
}
