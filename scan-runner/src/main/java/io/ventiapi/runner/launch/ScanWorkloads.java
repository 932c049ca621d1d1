package io.ventiapi.runner.launch;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.tenancy.TenantId;

/** Where scanner workloads run: a Kubernetes cluster, or this machine. */
public interface ScanWorkloads {

    /**
     * Starts the workload that runs {@code job}, or attaches to the one already running it (a
     * runner that died left it behind): never two workloads for one scan.
     */
    RunningScan startOrAttach(ScanJob job);

    /**
     * Stops whatever workload of scan {@code scanId} (any of its scanners) is still running, and
     * removes what was created for it; starts nothing. For a cancelled scan taken over from a
     * runner that stopped, whose workload no one follows any more. By default there is nothing to
     * stop: a workload that cannot outlive its runner.
     */
    default void stopIfRunning(TenantId tenant, String scanId) {}
}
