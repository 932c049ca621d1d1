package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.runner.launch.BoundedLineReader;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.WorkloadOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scan's Job, followed through the API server: the scanner pod's log line by line, then the
 * Job's status for the outcome. Any runner can build one for an existing Job (re-attach).
 */
final class KubernetesRunningScan implements RunningScan {

    private static final Logger log = LoggerFactory.getLogger(KubernetesRunningScan.class);

    /**
     * Waiting reasons after which the container will not start without someone changing the
     * image or the Secret: waiting for the deadline would only make the user wait.
     */
    private static final Set<String> CANNOT_START =
            Set.of("ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError");

    /** How often to open the log again when its stream breaks off (e.g. an API server restarts). */
    private static final int LOG_ATTEMPTS = 3;

    /** Beyond the Job's own deadline, how long to wait for Kubernetes to record its end. */
    private static final Duration STATUS_GRACE = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String scanId;
    private final Map<String, String> podSelector;
    private final Duration pollInterval;
    private final Duration patience;

    private volatile boolean cancelled;
    private volatile LogWatch following;
    private volatile WorkloadOutcome outcome;

    /** @param scan what {@code job} runs: one scanner of one scan */
    KubernetesRunningScan(KubernetesClient client, Job job, ScanJob scan, Duration pollInterval) {
        this.client = client;
        this.namespace = job.getMetadata().getNamespace();
        this.name = job.getMetadata().getName();
        this.scanId = scan.scanId();
        this.podSelector = VentiLabels.workload(scan);
        this.pollInterval = pollInterval;
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        this.patience = (deadline == null ? Duration.ofHours(1) : Duration.ofSeconds(deadline)).plus(STATUS_GRACE);
    }

    String jobName() {
        return name;
    }

    @Override
    public void follow(Consumer<String> lines) throws InterruptedException {
        Instant giveUp = Instant.now().plus(patience);
        Optional<Pod> started = awaitScannerStarted(giveUp);
        if (outcome != null) {
            return; // the container cannot start
        }
        if (started.isPresent()) {
            followLog(started.get(), lines);
            if (outcome != null) {
                return; // its output broke the rules: whatever the Job says now does not matter
            }
        }
        Job ended = awaitJobEnded(giveUp);
        outcome = JobOutcomes.outcome(ended, cancelled, scannerTermination());
        log.info("scan {}: Job {}/{} ended: {}", scanId, namespace, name, outcome);
    }

    @Override
    public WorkloadOutcome outcome() {
        WorkloadOutcome known = outcome;
        if (known == null) {
            throw new IllegalStateException("follow() has not returned yet");
        }
        return known;
    }

    @Override
    public void cancel() {
        cancelled = true;
        deleteJob();
        stopFollowing();
    }

    @Override
    public void close() {
        stopFollowing();
        deleteJob();
        client.secrets().inNamespace(namespace).withName(name).delete();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(name)
                .delete();
    }

    /**
     * Waits until the scanner container runs or has run (its log can be read), the Job ended
     * without it, or it cannot start.
     */
    private Optional<Pod> awaitScannerStarted(Instant giveUp) throws InterruptedException {
        while (!cancelled && Instant.now().isBefore(giveUp)) {
            for (Pod pod : scanPods()) {
                Optional<ContainerStatus> scanner = scannerStatus(pod);
                ContainerState state = scanner.map(ContainerStatus::getState).orElse(null);
                if (state != null && (state.getRunning() != null || state.getTerminated() != null)) {
                    return Optional.of(pod);
                }
                if (state != null
                        && state.getWaiting() != null
                        && CANNOT_START.contains(state.getWaiting().getReason())) {
                    failToStart(state.getWaiting());
                    return Optional.empty();
                }
            }
            Job job = currentJob();
            if (job == null || JobOutcomes.isFinished(job)) {
                return Optional.empty();
            }
            Thread.sleep(pollInterval);
        }
        return Optional.empty();
    }

    private void failToStart(ContainerStateWaiting waiting) {
        outcome = new WorkloadOutcome.Failed("the scanner container cannot start: " + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
        log.warn("scan {}: {}; deleting Job {}/{}", scanId, outcome, namespace, name);
        deleteJob();
    }

    private void followLog(Pod pod, Consumer<String> lines) throws InterruptedException {
        String podName = pod.getMetadata().getName();
        for (int attempt = 1; attempt <= LOG_ATTEMPTS && !cancelled; attempt++) {
            try (LogWatch watch = client.pods()
                    .inNamespace(namespace)
                    .withName(podName)
                    .inContainer(KubernetesScanManifests.CONTAINER)
                    .watchLog()) {
                following = watch;
                if (cancelled) {
                    return; // cancel() ran before there was a stream to close
                }
                LogLines.forward(watch.getOutput(), lines);
                return;
            } catch (BoundedLineReader.LineTooLongException e) {
                // Reading again would only meet the same line: the scan fails, and close() stops the Job.
                outcome = new WorkloadOutcome.Failed(e.getMessage());
                log.warn("scan {}: pod {}/{}: {}", scanId, namespace, podName, e.getMessage());
                return;
            } catch (IOException | KubernetesClientException e) {
                if (cancelled) {
                    return;
                }
                // Reading again starts from the first line: what each line changes is idempotent or
                // only moves forward (docs/runner/protocol.md), so lines read twice change nothing.
                log.warn(
                        "scan {}: the log of pod {}/{} broke off (attempt {} of {})",
                        scanId,
                        namespace,
                        podName,
                        attempt,
                        LOG_ATTEMPTS,
                        e);
                Thread.sleep(pollInterval);
            } finally {
                following = null;
            }
        }
        // past the attempts, the Job's status still decides the outcome
    }

    /** Kubernetes records a Job's end shortly after its pod's; wait for it (or the Job's removal). */
    private Job awaitJobEnded(Instant giveUp) throws InterruptedException {
        Job job = currentJob();
        while (job != null && !JobOutcomes.isFinished(job) && Instant.now().isBefore(giveUp)) {
            Thread.sleep(pollInterval);
            job = currentJob();
        }
        return job;
    }

    private Optional<ContainerStateTerminated> scannerTermination() {
        return scanPods().stream()
                .flatMap(pod -> scannerStatus(pod).stream())
                .map(status ->
                        status.getState() == null ? null : status.getState().getTerminated())
                .filter(Objects::nonNull)
                .findFirst();
    }

    private List<Pod> scanPods() {
        return client.pods()
                .inNamespace(namespace)
                .withLabels(podSelector)
                .list()
                .getItems();
    }

    private static Optional<ContainerStatus> scannerStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(status -> KubernetesScanManifests.CONTAINER.equals(status.getName()))
                .findFirst();
    }

    private Job currentJob() {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** Background propagation: the call returns at once and Kubernetes removes the pod after. */
    private void deleteJob() {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
    }

    private void stopFollowing() {
        LogWatch watch = following;
        if (watch != null) {
            watch.close();
        }
    }
}
