/** Launching one scanner workload per scan, on Kubernetes or as a local process, and following it. */
package io.ventiapi.runner.launch;
