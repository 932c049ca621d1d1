package io.ventiapi.platform.member;

import io.ventiapi.platform.common.UserErrorException;
import java.util.Locale;

/**
 * What a password a member chooses must be (ADR 3): long rather than clever, as NIST SP 800-63B
 * advises; no rule asks for digits or symbols, which make passwords harder to remember and no
 * harder to guess. The one-time passwords the platform generates (24 random characters) pass.
 */
public final class PasswordRules {

    public static final int MIN_LENGTH = 12;

    /** Argon2 hashes whatever it is given: a bound keeps a sign-in from costing more than another. */
    public static final int MAX_LENGTH = 128;

    static final int MIN_DISTINCT = 5;

    /** The rules as a person reads them, on the page where they choose a password. */
    public static final String SUMMARY = "At least " + MIN_LENGTH + " characters (at most " + MAX_LENGTH
            + "), at least " + MIN_DISTINCT + " of them different, and not your username. A passphrase of"
            + " a few unrelated words is long enough and easy to remember.";

    private PasswordRules() {}

    /**
     * Refuses a new password that breaks a rule, saying which.
     *
     * @param field the input field named in the refusal
     */
    public static void check(String password, String username, String field) {
        if (password == null || password.isEmpty()) {
            throw UserErrorException.invalid(field, "choose a new password");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw UserErrorException.invalid(field, "a password has at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw UserErrorException.invalid(field, "a password has at most " + MAX_LENGTH + " characters");
        }
        if (password.codePoints().distinct().count() < MIN_DISTINCT) {
            throw UserErrorException.invalid(
                    field, "a password has at least " + MIN_DISTINCT + " different characters");
        }
        if (containsName(password, username)) {
            throw UserErrorException.invalid(field, "a password must not contain your username");
        }
    }

    /** The username, or the part of it before {@code @} when that is long enough to mean something. */
    private static boolean containsName(String password, String username) {
        if (username == null || username.isBlank()) {
            return false;
        }
        var typed = password.toLowerCase(Locale.ROOT);
        var name = username.toLowerCase(Locale.ROOT);
        int at = name.indexOf('@');
        return typed.contains(name) || (at >= 4 && typed.contains(name.substring(0, at)));
    }
}
