package io.ventiapi.engine.http;

import io.ventiapi.engine.Evidence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns exchanges into evidence excerpts with credentials and secrets masked, so findings can be stored and
 * shown without leaking the identities used or the target's secrets.
 */
public final class Redactor {

    private static final int MAX_BODY_CHARS = 2_000;
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(authorization|cookie|token|secret|password|passwd|api[-_]?key|session|hash|credential).*");
    /**
     * A JSON field with a string or number value. A string the excerpt's limit cut short has no closing quote (and
     * may end in half an escape); it is masked all the same.
     */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(\"((?:[^\"\\\\]++|\\\\.)*+)\"\\s*+:\\s*+)(?:(\")((?:[^\"\\\\]++|\\\\.)*+)(?:(\")|\\\\?$)|(-?\\d[\\d.eE+-]*+))");
    /**
     * Credentials whose first characters say what they are without giving them away ({@code $2b$}, {@code sk_l},
     * {@code eyJh}, a PEM header), so those are kept.
     */
    private static final Pattern HEAD_KEPT_NAME =
            Pattern.compile("(?i).*(secret|token|api[-_]?key|hash|credential|private[-_]?key|privkey).*");
    /** Values that are the secret in every character: nothing of them is kept, not even their length. */
    private static final Pattern WHOLLY_SECRET_NAME = Pattern.compile("(?i).*(password|passwd|pwd).*");

    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&]([^=&]*)=)([^&]*)");
    private static final Pattern QUERY_SECRET_NAME =
            Pattern.compile("(?i).*(token|key|secret|password|passwd|pwd|session).*");
    /**
     * A PEM private key (PKCS#1 and #8, EC, OpenSSH, PGP), its body up to its END line, the end of a JSON string or
     * the excerpt's cut: a key the limit cut short is still a key. The header stays, it says what was there.
     */
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)(?:(?!-----END )[A-Za-z0-9+/=\\s\\\\:,.-])*+"
                    + "(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?");

    private static final String REDACTED = "[redacted]";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private Redactor() {}

    /** The evidence excerpt for one exchange. */
    public static Evidence.Exchange excerpt(ProbeResponse response) {
        return excerpt(response, Set.of());
    }

    /**
     * The evidence excerpt for one exchange, with the values of these JSON fields masked too, whatever their names:
     * a finding that reports a field's value as a secret must not store and show that very value.
     */
    public static Evidence.Exchange excerpt(ProbeResponse response, Set<String> reportedFields) {
        return new Evidence.Exchange(
                request(response.request(), reportedFields),
                response(response, reportedFields),
                response.elapsed().toMillis());
    }

    static String request(ProbeRequest request, Set<String> reportedFields) {
        StringBuilder out = new StringBuilder();
        out.append(request.method())
                .append(' ')
                .append(maskQuery(request.pathAndQuery()))
                .append('\n');
        request.headers()
                .forEach((name, value) -> out.append(name)
                        .append(": ")
                        .append(maskHeader(name, value))
                        .append('\n'));
        if (request.body() != null && request.body().length > 0) {
            out.append('\n').append(maskBody(new String(request.body(), StandardCharsets.UTF_8), reportedFields));
        }
        return out.toString();
    }

    static String response(ProbeResponse response, Set<String> reportedFields) {
        StringBuilder out = new StringBuilder();
        out.append("HTTP ").append(response.status()).append('\n');
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            for (String value : header.getValue()) {
                out.append(header.getKey())
                        .append(": ")
                        .append(maskHeader(header.getKey(), value))
                        .append('\n');
            }
        }
        if (response.body().length > 0) {
            out.append('\n').append(maskBody(response.bodyText(), reportedFields));
        }
        return out.toString();
    }

    private static String maskHeader(String name, String value) {
        if (!SECRET_NAME.matcher(name).matches()) {
            return value;
        }
        int space = value.indexOf(' ');
        // Keep the scheme ("Bearer", "Basic") because it tells the reader which kind of credential was sent.
        String scheme = space > 0 && space < 10 ? value.substring(0, space + 1) : "";
        return scheme + "[redacted]";
    }

    private static String maskQuery(String pathAndQuery) {
        return QUERY_PARAMETER
                .matcher(pathAndQuery)
                .replaceAll(m -> Matcher.quoteReplacement(
                        QUERY_SECRET_NAME.matcher(m.group(2)).matches() || holdsCardOrSocialSecurityDigits(m.group(2))
                                ? m.group(1) + REDACTED
                                : m.group()));
    }

    /**
     * Masks secret-looking JSON values, the values of {@code reportedFields}, private keys and JWTs, in what the
     * excerpt's limit keeps of the body: masked first, the cut could leave half a marker and no value to mask.
     */
    static String maskBody(String body, Set<String> reportedFields) {
        boolean cut = body.length() > MAX_BODY_CHARS;
        String masked = cut ? body.substring(0, MAX_BODY_CHARS) : body;
        masked = PEM_PRIVATE_KEY.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "…" + REDACTED));
        masked = JSON_FIELD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(maskField(m, reportedFields)));
        masked = JWT.matcher(masked).replaceAll("eyJ…[redacted JWT]");
        return cut ? masked + "…[truncated]" : masked;
    }

    /** One JSON field as the excerpt shows it: groups 1 name and colon, 2 name, 3 to 5 a string, 6 a number. */
    private static String maskField(MatchResult field, Set<String> reportedFields) {
        String name = field.group(2);
        boolean number = field.group(6) != null;
        String value = number ? field.group(6) : field.group(4);
        boolean reported = reportedFields.contains(name);
        Mask mask = maskFor(name, reported);
        // Counts, lengths and expiries are numbers under secret names too; SSNs, CVVs and card numbers may be.
        if (mask == null || value.isEmpty() || (number && !reported && !holdsCardOrSocialSecurityDigits(name))) {
            return field.group();
        }
        String masked = switch (mask) {
            case HEAD -> head(value);
            case ALL -> REDACTED;
            case CARD -> cardNumber(value);
        };
        return number
                ? field.group(1) + masked
                : field.group(1) + field.group(3) + masked + (field.group(5) == null ? "" : field.group(5));
    }

    /** How much of a value a reader of the evidence still sees. */
    private enum Mask {
        /**
         * Its first 4 characters (or a PEM header), which tell a reader what kind of credential it is, when it has
         * 12 or more.
         */
        HEAD,
        /** Nothing. */
        ALL,
        /** The last 4 digits of a card number, as receipts and statements show them. */
        CARD
    }

    /** Null when the field is none of the evidence's business to hide. */
    private static Mask maskFor(String name, boolean reported) {
        if (HEAD_KEPT_NAME.matcher(name).matches()) {
            return Mask.HEAD;
        }
        if (WHOLLY_SECRET_NAME.matcher(name).matches()
                || FieldNames.isSocialSecurityNumber(name)
                || FieldNames.isCardVerificationCode(name)) {
            return Mask.ALL;
        }
        if (FieldNames.isCardNumber(name)) {
            return Mask.CARD;
        }
        return reported ? Mask.HEAD : null;
    }

    /** SSNs, CVVs and card numbers: digits that are often written as JSON numbers. */
    private static boolean holdsCardOrSocialSecurityDigits(String name) {
        return FieldNames.isSocialSecurityNumber(name)
                || FieldNames.isCardVerificationCode(name)
                || FieldNames.isCardNumber(name);
    }

    private static String head(String value) {
        Matcher pem = PEM_PRIVATE_KEY.matcher(value);
        if (pem.lookingAt()) {
            return pem.group(1) + "…" + REDACTED;
        }
        // Four characters of a short value would be much of it.
        return value.length() < 12 ? REDACTED : value.substring(0, 4) + "…" + REDACTED;
    }

    private static String cardNumber(String value) {
        String digits = value.replaceAll("\\D", "");
        return digits.length() >= 12 ? REDACTED + "…" + digits.substring(digits.length() - 4) : REDACTED;
    }
}
