package io.ventiapi.platform.finding;

/**
 * A finding as a scan reports it, before it is merged into the project's findings.
 *
 * @param fingerprint stable across scans (rule, method, path template, parameter): the same
 *     problem in two scans has the same fingerprint
 * @param requestExcerpt the request that showed it; secrets are redacted again on the way in
 * @param responseExcerpt the response that showed it
 */
public record ObservedFinding(
        String fingerprint,
        String ruleId,
        String title,
        OwaspCategory category,
        Integer cwe,
        Severity severity,
        Confidence confidence,
        String method,
        String path,
        String parameter,
        String requestExcerpt,
        String responseExcerpt,
        String remediation) {}
