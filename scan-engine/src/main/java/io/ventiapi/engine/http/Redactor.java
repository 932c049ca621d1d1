package io.ventiapi.engine.http;

import io.ventiapi.engine.Evidence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    private static final Pattern JSON_SECRET_VALUE = Pattern.compile(
            "(?i)(\"[a-z0-9_\\-]*(?:password|passwd|secret|token|api[-_]?key|hash|credential)[a-z0-9_\\-]*\"\\s*:\\s*\")([^\"]{0,4})([^\"]*)(\")");
    private static final Pattern QUERY_SECRET =
            Pattern.compile("(?i)([?&][^=&]*(?:token|key|secret|password|session)[^=&]*=)([^&]*)");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private Redactor() {}

    /** The evidence excerpt for one exchange. */
    public static Evidence.Exchange excerpt(ProbeResponse response) {
        return new Evidence.Exchange(
                request(response.request()),
                response(response),
                response.elapsed().toMillis());
    }

    static String request(ProbeRequest request) {
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
            out.append('\n').append(maskBody(new String(request.body(), StandardCharsets.UTF_8)));
        }
        return out.toString();
    }

    static String response(ProbeResponse response) {
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
            out.append('\n').append(maskBody(response.bodyText()));
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
        return QUERY_SECRET.matcher(pathAndQuery).replaceAll("$1[redacted]");
    }

    /** Masks secret-looking JSON values (keeping 4 characters so a reader can recognise them) and JWTs. */
    static String maskBody(String body) {
        String cut = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) + "…[truncated]" : body;
        Matcher m = JSON_SECRET_VALUE.matcher(cut);
        String masked = m.replaceAll(r -> Matcher.quoteReplacement(
                r.group(1) + r.group(2) + (r.group(3).isEmpty() ? "" : "…[redacted]") + r.group(4)));
        return JWT.matcher(masked).replaceAll("eyJ…[redacted JWT]");
    }
}
