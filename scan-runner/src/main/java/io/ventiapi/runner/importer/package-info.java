/**
 * Reports of other scanners (OWASP ZAP's JSON report, any SARIF 2.1.0 report) turned into the
 * engine's findings and event lines, so the platform persists every scanner's results one way.
 */
package io.ventiapi.runner.importer;
