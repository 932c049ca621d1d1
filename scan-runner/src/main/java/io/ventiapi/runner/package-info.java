/**
 * The runner role: takes scan jobs from Redis, launches one isolated scanner workload per scan
 * (a Kubernetes Job in the tenant's namespace, or a local child process) and streams the
 * engine's events back. It holds no database credentials.
 */
package io.ventiapi.runner;
