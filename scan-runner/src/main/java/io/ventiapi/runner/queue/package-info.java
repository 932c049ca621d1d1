/**
 * The runner's side of Redis: scan jobs consumed at least once from {@code venti:scan-jobs}
 * (group {@code runners}), scheduled fairly across tenants under each tenant's concurrency cap,
 * and their events published to {@code venti:scan-events}.
 */
package io.ventiapi.runner.queue;
