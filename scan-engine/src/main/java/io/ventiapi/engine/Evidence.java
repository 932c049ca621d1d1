package io.ventiapi.engine;

import java.util.List;

/**
 * What the engine sent and saw that proves a finding. Excerpts are truncated and have credentials and personal
 * secrets redacted (Authorization, cookies, API keys, tokens, passwords, private keys, card numbers, SSNs), so
 * evidence can be stored and shown to anyone who may see the finding.
 *
 * @param exchanges the request/response pairs that prove the finding, the decisive one first
 * @param explanation one or two sentences saying why these exchanges prove the flaw
 */
public record Evidence(List<Exchange> exchanges, String explanation) {

    public Evidence {
        exchanges = List.copyOf(exchanges);
    }

    /**
     * Secrets shorter than this are left alone: they would blank out ordinary text. The platform keeps out its
     * projects' secrets from the same length.
     */
    static final int MIN_SECRET = 4;

    /**
     * The same evidence without these secret values, as written or form-encoded, wherever they
     * appear: the patterns that mask credentials go by name, and a target may echo a key or a token
     * anywhere.
     */
    public Evidence redacting(java.util.Collection<String> secrets) {
        var redact = redactor(secrets);
        return new Evidence(
                exchanges.stream()
                        .map(e ->
                                new Exchange(redact.apply(e.request()), redact.apply(e.response()), e.elapsedMillis()))
                        .toList(),
                redact.apply(explanation));
    }

    /** Replaces these secret values, as written or form-encoded, in a text (null stays null). */
    public static java.util.function.UnaryOperator<String> redactor(java.util.Collection<String> secrets) {
        var forms = new java.util.TreeSet<String>(java.util.Comparator.comparingInt(String::length)
                .reversed()
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET) {
                forms.add(secret);
                forms.add(java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return text -> {
            if (text == null) {
                return null;
            }
            String out = text;
            for (String form : forms) {
                out = out.replace(form, "[redacted]");
            }
            return out;
        };
    }

    /**
     * One request and the response it got, as text excerpts.
     *
     * @param request the request line, headers and the start of the body
     * @param response the status line, headers and the start of the body; empty if no response came
     * @param elapsedMillis how long the response took, relevant for time-based findings
     */
    public record Exchange(String request, String response, long elapsedMillis) {}
}
