/**
 * Findings: what scans found, mapped to the OWASP API Security Top 10 (2023) and CWE, one row per
 * stable fingerprint per project, triaged by people, searched with keyset pagination.
 */
package io.ventiapi.platform.finding;
