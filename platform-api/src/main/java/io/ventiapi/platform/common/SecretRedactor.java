package io.ventiapi.platform.common;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redacts credentials from text the platform keeps from elsewhere and shows: a finding's request
 * and response excerpts, a scanner's failure reason, the values of an audit summary. Scanners
 * redact too; this is the platform's own guard, since whatever is stored is shown to every reader
 * of the tenant and sent on in webhooks, and not every scanner is the engine (ZAP, a custom one). Besides
 * anything that looks like a credential, a card number, an SSN or a private key, it removes the
 * project's own identity secrets wherever they appear (a custom scanner, or an API key in a header
 * no pattern knows). Excerpts are also capped in length.
 */
public final class SecretRedactor {

    static final String REDACTED = "[REDACTED]";
    static final int MAX_CHARS = 8 * 1024;

    private static final Pattern SECRET_HEADER = Pattern.compile(
            "(?im)^((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token"
                    + "|x-csrf-token)(\\s*:\\s*).*$");
    /**
     * A credential after its scheme: 12 or more token characters, at least one of them a digit or
     * a symbol, so that prose ("Bearer authentication", "Basic Operations") is left alone.
     */
    private static final Pattern BEARER =
            Pattern.compile("(?i)\\b(bearer|basic)\\s+(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{12,}");

    /** Names of secrets as parts of a name ({@code userPassword}, {@code client_secret}, {@code pwdHash}). */
    private static final Pattern SECRET_NAME_PART = Pattern.compile(
            "(?i)password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|privkey|credential|session");
    /**
     * Card numbers, SSNs and card verification codes, by names short enough to be parts of ordinary words: read as
     * words, some run of which, written together, is one of these ({@code cardNumber}, {@code billing_card_no},
     * {@code customerSsn}, {@code card_cvc2}, but not {@code discardedAt} or {@code businessName}).
     */
    private static final Set<String> CARD_OR_SSN_WORDS = Set.of(
            "cardnumber",
            "cardnum",
            "cardno",
            "ccnumber",
            "ccnum",
            "ccno",
            "creditcard",
            "debitcard",
            "primaryaccountnumber",
            "ssn",
            "socialsecuritynumber",
            "socialsecurityno",
            "cvv",
            "cvv2",
            "cvc",
            "cvc2",
            "cardverificationvalue",
            "cardverificationcode",
            "cardsecuritycode");
    /** Separators, and the start of a capitalised word in camelCase or after an acronym ({@code PANNumber}). */
    private static final Pattern WORD_BREAK =
            Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

    /**
     * A JSON field and its string or number value: numbers are redacted only under card, SSN and CVV names, whose
     * digits are often written so; under other names they are counts and lengths.
     */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(\"((?:[^\"\\\\]++|\\\\.)*+)\"\\s*+:\\s*+)(?:\"((?:[^\"\\\\]++|\\\\.)*+)\"|(-?\\d[\\d.eE+-]*+))");
    /** A card number as the engine masks it, with the last four digits that PCI DSS allows to show. */
    private static final Pattern MASKED_CARD_NUMBER = Pattern.compile("\\[redacted]…\\d{4}");
    /**
     * A query parameter named for a secret: anywhere in the name for the long words, the whole name
     * for the short ones ({@code key}, {@code sig}), which are parts of ordinary names too. Not
     * {@code code} or {@code auth}: ordinary parameters, whose values are the proof of an injection.
     */
    private static final Pattern SECRET_QUERY_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
                    + "|credential|session|signature)[a-z0-9_.-]*|key|sig|x-amz-[a-z-]+)=)[^&\\s#]*");
    /** Any query parameter, for the card, SSN and CVV names that only words tell apart. */
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;]([A-Za-z0-9_.-]+)=)[^&\\s#]*");
    /** {@link #JSON_FIELD} whose string value the cut ended. */
    private static final Pattern CUT_JSON_FIELD =
            Pattern.compile("(\"((?:[^\"\\\\]++|\\\\.)*+)\"\\s*+:\\s*+)\"(?:[^\"\\\\]++|\\\\.)*+\\\\?$");
    /**
     * A PEM private key (PKCS#1 and #8, EC, OpenSSH, PGP) under any name or none, up to its END line, the end of a
     * JSON string, or a cut (the platform's, or a scanner's {@code …}). The header stays: it says what was there.
     */
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)(?:(?!-----END )[A-Za-z0-9+/=\\s\\\\:,.-])++"
                    + "(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?");
    /** {@link #BEARER}'s scheme, and whatever the cut left of its credential. */
    private static final Pattern CUT_CREDENTIAL = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+$");
    /** A JWT's start, cut before its signature. */
    private static final Pattern CUT_JWT =
            Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*+(?:\\.[A-Za-z0-9_-]*+){0,2}$");
    /** The user information of a URL ({@code https://user:password@host}). */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b((?:https?|wss?|ftp)://)[^/?#\\s@]+@");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UnaryOperator<String> JSON_STRING = value -> {
        var quoted = JSON.writeValueAsString(value);
        return quoted.substring(1, quoted.length() - 1);
    };
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-F]{2}");
    private static final Pattern JWT =
            Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}+\\.[A-Za-z0-9_-]{5,}+\\.[A-Za-z0-9_-]*+");

    /** Shorter known secrets would blank out ordinary text; no real credential is that short. */
    static final int MIN_KNOWN_SECRET = 4;

    private SecretRedactor() {}

    /**
     * Redacts {@code excerpt}, including every occurrence of {@code knownSecrets} as written, form-
     * or percent-encoded (spaces as {@code +} or {@code %20}, hex digits in either case) or escaped
     * in JSON (slashes escaped or not).
     */
    public static String redact(String excerpt, Collection<String> knownSecrets) {
        if (excerpt == null) {
            return null;
        }
        var text = excerpt;
        // Longest first: a secret that contains another (a password starting with the username)
        // must go whole, not leave its tail behind.
        var longestFirst = knownSecrets.stream()
                .filter(secret -> secret != null && secret.length() >= MIN_KNOWN_SECRET)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (var secret : longestFirst) {
            var formEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            var percentEncoded = formEncoded.replace("+", "%20");
            var jsonEscaped = JSON_STRING.apply(secret);
            var forms = List.of(
                    secret,
                    formEncoded,
                    percentEncoded,
                    lowerCaseHex(formEncoded),
                    lowerCaseHex(percentEncoded),
                    jsonEscaped,
                    jsonEscaped.replace("/", "\\/"));
            for (var form : forms) {
                text = text.replace(form, REDACTED);
            }
            text = escapedAnyhow(secret).matcher(text).replaceAll(REDACTED);
            text = withoutCutStarts(text, forms);
        }
        if (text.length() > MAX_CHARS) {
            // The cut may fall inside a credential, whose pattern then no longer finds it (no
            // closing quote, fewer than 12 characters, one dot of a JWT): its start goes too.
            var cut = text.substring(0, MAX_CHARS);
            cut = CUT_JSON_FIELD
                    .matcher(cut)
                    .replaceAll(field -> isSecretName(field.group(2))
                            ? Matcher.quoteReplacement(field.group(1) + "\"" + REDACTED)
                            : Matcher.quoteReplacement(field.group()));
            cut = CUT_CREDENTIAL.matcher(cut).replaceAll("$1 " + REDACTED);
            cut = CUT_JWT.matcher(cut).replaceAll(REDACTED);
            text = cut + "\n[… " + (text.length() - MAX_CHARS) + " more characters]";
        }
        text = SECRET_HEADER.matcher(text).replaceAll("$1$2" + REDACTED);
        text = BEARER.matcher(text).replaceAll("$1 " + REDACTED);
        text = JSON_FIELD.matcher(text).replaceAll(SecretRedactor::redactedJsonField);
        text = PEM_PRIVATE_KEY.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        text = SECRET_QUERY_PARAMETER.matcher(text).replaceAll("$1" + REDACTED);
        text = QUERY_PARAMETER
                .matcher(text)
                .replaceAll(parameter -> Matcher.quoteReplacement(
                        namesCardOrSsn(parameter.group(2)) ? parameter.group(1) + REDACTED : parameter.group()));
        text = URL_USER_INFO.matcher(text).replaceAll("$1" + REDACTED + "@");
        return JWT.matcher(text).replaceAll(REDACTED);
    }

    /** A JSON field as it may be shown: groups 1 the name and colon, 2 the name, 3 a string, 4 a number value. */
    private static String redactedJsonField(MatchResult field) {
        boolean number = field.group(4) != null;
        String name = field.group(2);
        boolean secret = number ? namesCardOrSsn(name) : isSecretName(name);
        if (!secret || (!number && MASKED_CARD_NUMBER.matcher(field.group(3)).matches())) {
            return Matcher.quoteReplacement(field.group());
        }
        return Matcher.quoteReplacement(field.group(1) + (number ? REDACTED : "\"" + REDACTED + "\""));
    }

    private static boolean isSecretName(String name) {
        return SECRET_NAME_PART.matcher(name).find() || namesCardOrSsn(name);
    }

    /** {@code pan} as the whole name, or a run of its words that names a card number, an SSN or a CVV. */
    private static boolean namesCardOrSsn(String name) {
        var words = Arrays.stream(WORD_BREAK.split(name))
                .filter(word -> !word.isEmpty())
                .map(word -> word.toLowerCase(Locale.ROOT))
                .toList();
        if (String.join("", words).equals("pan")) {
            return true;
        }
        for (int from = 0; from < words.size(); from++) {
            var run = new StringBuilder();
            for (int to = from; to < words.size(); to++) {
                if (CARD_OR_SSN_WORDS.contains(run.append(words.get(to)).toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where scanners cut an excerpt: the engine writes "…[truncated]", the runner "…". */
    private static final char CUT_MARK = '…';

    /** The text without the start of a form of a secret that a scanner's cut ended. */
    private static String withoutCutStarts(String text, List<String> forms) {
        for (int cut = text.lastIndexOf(CUT_MARK); cut >= 0; cut = text.lastIndexOf(CUT_MARK, cut - 1)) {
            for (var form : forms) {
                int length = longestStartEndingAt(text, cut, form);
                if (length >= MIN_KNOWN_SECRET) {
                    text = text.substring(0, cut - length) + REDACTED + text.substring(cut);
                    cut += REDACTED.length() - length;
                }
            }
        }
        return text;
    }

    /** How many characters before {@code end} are the start of {@code form} (all of it aside), at most. */
    private static int longestStartEndingAt(String text, int end, String form) {
        for (int length = Math.min(form.length() - 1, end); length >= MIN_KNOWN_SECRET; length--) {
            if (text.regionMatches(end - length, form, 0, length)) {
                return length;
            }
        }
        return 0;
    }

    /**
     * The secret with any of its symbols escaped as a JSON writer may ({@code \u002B} for {@code +}:
     * ASP.NET and Gson do so for some) or after a backslash (a custom scanner's identity line
     * escapes commas so), in any mix.
     */
    private static Pattern escapedAnyhow(String secret) {
        var pattern = new StringBuilder();
        secret.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c > 0x7e) {
                pattern.append(Pattern.quote(Character.toString(c)));
            } else {
                pattern.append("(?:")
                        .append(Pattern.quote(Character.toString(c)))
                        .append("|\\\\")
                        .append(Pattern.quote(Character.toString(c)))
                        .append("|\\\\u00(?i:")
                        .append("%02x".formatted(c))
                        .append("))");
            }
        });
        return Pattern.compile(pattern.toString());
    }

    /** {@code %2B} as {@code %2b}: encoders differ in the case of their hex digits. */
    private static String lowerCaseHex(String encoded) {
        return PERCENT_ESCAPE
                .matcher(encoded)
                .replaceAll(escape -> escape.group().toLowerCase(Locale.ROOT));
    }
}
