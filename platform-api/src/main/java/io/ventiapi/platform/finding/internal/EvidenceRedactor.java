package io.ventiapi.platform.finding.internal;

import java.util.regex.Pattern;

/**
 * Redacts credentials from request and response excerpts before they are stored. Scanners redact
 * too; this is the platform's own guard, since whatever is stored is shown to every reader of the
 * tenant and sent on in webhooks. Excerpts are also capped in length.
 */
public final class EvidenceRedactor {

    static final String REDACTED = "[REDACTED]";
    static final int MAX_CHARS = 8 * 1024;

    private static final Pattern SECRET_HEADER = Pattern.compile(
            "(?im)^((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token"
                    + "|x-csrf-token)(\\s*:\\s*).*$");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern SECRET_JSON_FIELD = Pattern.compile(
            "(?i)(\"[^\"]*(?:password|passwd|secret|token|api_?key|credential|session)[^\"]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern SECRET_QUERY_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_-]*(?:password|passwd|secret|token|api_?key|credential|session)[a-z0-9_-]*)=)[^&\\s#]*");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    private EvidenceRedactor() {}

    public static String redact(String excerpt) {
        if (excerpt == null) {
            return null;
        }
        var text = excerpt.length() > MAX_CHARS
                ? excerpt.substring(0, MAX_CHARS) + "\n[… " + (excerpt.length() - MAX_CHARS) + " more characters]"
                : excerpt;
        text = SECRET_HEADER.matcher(text).replaceAll("$1$2" + REDACTED);
        text = BEARER.matcher(text).replaceAll("$1 " + REDACTED);
        text = SECRET_JSON_FIELD.matcher(text).replaceAll("$1\"" + REDACTED + "\"");
        text = SECRET_QUERY_PARAMETER.matcher(text).replaceAll("$1" + REDACTED);
        return JWT.matcher(text).replaceAll(REDACTED);
    }
}
