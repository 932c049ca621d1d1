package io.ventiapi.engine.check;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.FindingFingerprint;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;

/**
 * What a check looks for, as data: the same rule produces findings on any operation, method and parameter.
 *
 * @param id stable rule id, e.g. {@code injection.sql-error}; part of every finding fingerprint
 * @param title short summary shown in reports
 * @param category OWASP API Security Top 10 (2023) category
 * @param cweId CWE number
 * @param severity severity of every finding of this rule
 * @param description what the flaw is and why it matters
 * @param remediation what to change to fix it
 */
public record Rule(
        String id,
        String title,
        OwaspCategory category,
        int cweId,
        Severity severity,
        String description,
        String remediation) {

    /** A finding of this rule. */
    public Finding finding(
            Confidence confidence, String method, String pathTemplate, String parameter, Evidence evidence) {
        return finding(
                confidence,
                method,
                pathTemplate,
                parameter,
                evidence,
                FindingFingerprint.of(id, method, pathTemplate, parameter));
    }

    /**
     * A finding of this rule about the whole target (a header every answer lacks, the signing key of every
     * token): method and path name the operation it was seen on, for display, but are not part of its
     * fingerprint (rule and parameter only), which stays the same whichever operation shows it first.
     */
    public Finding targetWideFinding(
            Confidence confidence, String method, String pathTemplate, String parameter, Evidence evidence) {
        return finding(
                confidence, method, pathTemplate, parameter, evidence, FindingFingerprint.targetWide(id, parameter));
    }

    private Finding finding(
            Confidence confidence,
            String method,
            String pathTemplate,
            String parameter,
            Evidence evidence,
            FindingFingerprint fingerprint) {
        return new Finding(
                id,
                title,
                category,
                cweId,
                severity,
                confidence,
                method,
                pathTemplate,
                parameter,
                evidence,
                remediation,
                fingerprint);
    }
}
