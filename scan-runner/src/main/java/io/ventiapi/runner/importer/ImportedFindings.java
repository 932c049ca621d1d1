package io.ventiapi.runner.importer;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.FindingFingerprint;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What importers share: scope, category by CWE, de-duplication by fingerprint, plain text. */
final class ImportedFindings {

    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final int EXCERPT = 2000;

    /** OWASP API Security Top 10 (2023) by CWE, for scanners that only give a CWE. */
    private static final Map<Integer, OwaspCategory> CATEGORY_BY_CWE = Map.ofEntries(
            Map.entry(284, OwaspCategory.API1),
            Map.entry(639, OwaspCategory.API1),
            Map.entry(287, OwaspCategory.API2),
            Map.entry(306, OwaspCategory.API2),
            Map.entry(307, OwaspCategory.API2),
            Map.entry(347, OwaspCategory.API2),
            Map.entry(798, OwaspCategory.API2),
            Map.entry(213, OwaspCategory.API3),
            Map.entry(915, OwaspCategory.API3),
            Map.entry(400, OwaspCategory.API4),
            Map.entry(770, OwaspCategory.API4),
            Map.entry(799, OwaspCategory.API4),
            Map.entry(285, OwaspCategory.API5),
            Map.entry(862, OwaspCategory.API5),
            Map.entry(918, OwaspCategory.API7),
            Map.entry(16, OwaspCategory.API8),
            Map.entry(22, OwaspCategory.API8),
            Map.entry(77, OwaspCategory.API8),
            Map.entry(78, OwaspCategory.API8),
            Map.entry(79, OwaspCategory.API8),
            Map.entry(89, OwaspCategory.API8),
            Map.entry(200, OwaspCategory.API8),
            Map.entry(209, OwaspCategory.API8),
            Map.entry(497, OwaspCategory.API8),
            Map.entry(525, OwaspCategory.API8),
            Map.entry(565, OwaspCategory.API8),
            Map.entry(611, OwaspCategory.API8),
            Map.entry(614, OwaspCategory.API8),
            Map.entry(693, OwaspCategory.API8),
            Map.entry(942, OwaspCategory.API8),
            Map.entry(943, OwaspCategory.API8),
            Map.entry(1004, OwaspCategory.API8),
            Map.entry(1021, OwaspCategory.API8),
            Map.entry(1059, OwaspCategory.API9));

    private final URI target;
    private final Map<FindingFingerprint, Finding> byFingerprint = new LinkedHashMap<>();

    ImportedFindings(URI target) {
        this.target = target;
    }

    /**
     * The path of {@code url} under the target, or empty when it lies outside the target's origin
     * (a finding about another site is not the scan's business, and never shown as the target's).
     */
    Optional<String> pathUnderTarget(String url) {
        try {
            var uri = URI.create(url.replace(" ", "%20"));
            if (!uri.isAbsolute()) {
                return Optional.of(uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath());
            }
            boolean sameOrigin = target.getScheme().equalsIgnoreCase(uri.getScheme())
                    && target.getHost().equalsIgnoreCase(uri.getHost())
                    && port(target) == port(uri);
            if (!sameOrigin) {
                return Optional.empty();
            }
            var base = target.getPath() == null ? "" : target.getPath().replaceAll("/+$", "");
            var path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            if (!base.isEmpty() && path.startsWith(base)) {
                path = path.substring(base.length());
            }
            return Optional.of(path.isEmpty() ? "/" : path);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Adds a finding unless one with the same fingerprint is in already (scanners repeat instances). */
    void add(
            String ruleId,
            String title,
            int cwe,
            Severity severity,
            Confidence confidence,
            String method,
            String path,
            String parameter,
            String request,
            String response,
            String explanation,
            String remediation) {
        var fingerprint = FindingFingerprint.of(ruleId, method, path, parameter);
        byFingerprint.putIfAbsent(
                fingerprint,
                new Finding(
                        ruleId,
                        excerpt(title),
                        CATEGORY_BY_CWE.getOrDefault(cwe, OwaspCategory.NONE),
                        cwe,
                        severity,
                        confidence,
                        method,
                        path,
                        parameter,
                        new Evidence(
                                List.of(new Evidence.Exchange(excerpt(request), excerpt(response), 0)),
                                excerpt(explanation)),
                        excerpt(remediation),
                        fingerprint));
    }

    List<Finding> findings() {
        return List.copyOf(byFingerprint.values());
    }

    /** Text from a scanner's HTML fragment. */
    static String plain(String html) {
        if (html == null) {
            return "";
        }
        return TAG.matcher(html)
                .replaceAll(" ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
                .replaceAll("\\s+", " ")
                .strip();
    }

    static int cwe(String value) {
        try {
            return Integer.parseInt(value.strip().replaceFirst("(?i)^CWE-", ""));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
