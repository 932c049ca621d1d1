package io.ventiapi.runner.launch;

import io.ventiapi.protocol.ScanJob;

/** Where scanner workloads run: a Kubernetes cluster, or this machine. */
public interface ScanWorkloads {

    /**
     * Starts the workload that runs {@code job}, or attaches to the one already running it (a
     * runner that died left it behind): never two workloads for one scan.
     */
    RunningScan startOrAttach(ScanJob job);
}
