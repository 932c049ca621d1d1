/**
 * The api role's side of the scan pipeline (docs/runner/protocol.md): the outbox relay that
 * publishes scan jobs and cancellations to the runners after commit, the persister that applies
 * what scanners report to scans and findings, and the progress feed behind the {@code
 * scanProgress} subscription.
 */
package io.ventiapi.platform.pipeline;
