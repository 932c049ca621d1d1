/**
 * The Kubernetes launcher: each scan runs as a Job in its tenant's namespace ({@code
 * venti-t-<tenant>}), fenced by a ResourceQuota, a LimitRange, a default-deny NetworkPolicy and a
 * per-scan policy that lets the pod reach only DNS and its target. Active when {@code
 * venti.runner.launcher=kubernetes}.
 */
package io.ventiapi.runner.launch.kubernetes;
