package io.ventiapi.engine;

import java.util.Objects;

/**
 * A confirmed flaw in the target API.
 *
 * @param ruleId stable id of the rule that found it, e.g. {@code auth.no-credentials}
 * @param title short human-readable summary
 * @param category the OWASP API Security Top 10 (2023) category
 * @param cweId the CWE number, e.g. 306 for CWE-306
 * @param severity how bad it is
 * @param confidence how strongly it was confirmed
 * @param method the HTTP method of the affected operation, upper case
 * @param pathTemplate the documented path template, e.g. {@code /users/{id}}, or the probed path for
 *     undocumented endpoints
 * @param parameter the affected parameter as {@code location:name} (e.g. {@code query:sort}), a header name, or
 *     null when the finding concerns the whole operation
 * @param evidence redacted request/response excerpts that prove it
 * @param remediation what to change to fix it
 * @param fingerprint stable hash of rule, method, path template and parameter (of rule and parameter for target-wide
 *     findings, see {@link FindingFingerprint#targetWide})
 */
public record Finding(
        String ruleId,
        String title,
        OwaspCategory category,
        int cweId,
        Severity severity,
        Confidence confidence,
        String method,
        String pathTemplate,
        String parameter,
        Evidence evidence,
        String remediation,
        FindingFingerprint fingerprint) {

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /**
     * The same finding without these secret values in its texts ({@link Evidence#redacting}):
     * another scanner's title, parameter, path or advice may quote what it sent. Its fingerprint
     * stays: it was taken from what was found.
     */
    public Finding redacting(java.util.Collection<String> secrets) {
        var redact = Evidence.redactor(secrets);
        return new Finding(
                ruleId,
                redact.apply(title),
                category,
                cweId,
                severity,
                confidence,
                method,
                redact.apply(pathTemplate),
                redact.apply(parameter),
                evidence == null ? null : evidence.redacting(secrets),
                redact.apply(remediation),
                fingerprint);
    }

    /** The same finding with this evidence. */
    public Finding withEvidence(Evidence other) {
        return new Finding(
                ruleId,
                title,
                category,
                cweId,
                severity,
                confidence,
                method,
                pathTemplate,
                parameter,
                other,
                remediation,
                fingerprint);
    }

    /** The same finding with another severity than its rule's: a weaker observation of the same flaw. */
    public Finding withSeverity(Severity other) {
        return new Finding(
                ruleId,
                title,
                category,
                cweId,
                other,
                confidence,
                method,
                pathTemplate,
                parameter,
                evidence,
                remediation,
                fingerprint);
    }

    /** The CWE as it is usually written, e.g. {@code CWE-306}. */
    public String cwe() {
        return "CWE-" + cweId;
    }
}
