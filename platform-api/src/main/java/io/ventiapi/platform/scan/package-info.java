/**
 * Scans: started by a caller (stored as QUEUED with an outbox message in one transaction),
 * cancelled, and followed through their states, progress and counts of findings by severity.
 */
package io.ventiapi.platform.scan;
