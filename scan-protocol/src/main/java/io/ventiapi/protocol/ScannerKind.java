package io.ventiapi.protocol;

/** Which scanner a workload runs. */
public enum ScannerKind {
    /** VentiAPI's own engine ({@code venti-scan}), which prints scan events as NDJSON. */
    VENTI,
    /** The OWASP ZAP API scan image; its JSON report is imported into findings. */
    ZAP,
    /** Any image that writes a SARIF 2.1.0 report; imported into findings. */
    CUSTOM
}
