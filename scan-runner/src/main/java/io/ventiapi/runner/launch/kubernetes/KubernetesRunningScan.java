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
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
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

    private static final ScanEventCodec EVENTS = new ScanEventCodec();

    /**
     * Waiting reasons after which the container will not start without someone changing the
     * image or the Secret: waiting for the deadline would only make the user wait.
     */
    private static final Set<String> CANNOT_START =
            Set.of("ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError");

    /** The longest wait before opening again a log that keeps ending with its scanner running. */
    private static final Duration MAX_REOPEN_WAIT = Duration.ofMinutes(1);

    /** How often to open the log again when its stream breaks off (e.g. an API server restarts). */
    private static final int LOG_ATTEMPTS = 3;

    /** Beyond the Job's own deadline, how long to wait for Kubernetes to record its end. */
    private static final Duration STATUS_GRACE = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String scanId;
    /** What the Job runs: its keys are kept out of the outcome's reason, which is logged. */
    private final ScanJob scan;

    private final Map<String, String> podSelector;
    private final Duration pollInterval;
    private final Duration patience;
    /** Whether the scanner is the engine, whose log is numbered events. */
    private final boolean engine;

    private volatile boolean cancelled;
    private volatile LogWatch following;
    private volatile WorkloadOutcome outcome;

    /** @param scan what {@code job} runs: one scanner of one scan */
    KubernetesRunningScan(KubernetesClient client, Job job, ScanJob scan, Duration pollInterval) {
        this.client = client;
        this.namespace = job.getMetadata().getNamespace();
        this.name = job.getMetadata().getName();
        this.scanId = scan.scanId();
        this.scan = scan;
        this.podSelector = VentiLabels.workload(scan);
        this.pollInterval = pollInterval;
        this.engine = scan.kind() == ScannerKind.VENTI;
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
            followLog(started.get(), lines, giveUp);
            if (outcome != null) {
                return; // its output broke the rules: whatever the Job says now does not matter
            }
        }
        Job ended = awaitJobEnded(giveUp);
        outcome = JobOutcomes.outcome(ended, cancelled, scannerTermination()).withoutKeysOf(scan);
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
                        + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()))
                .withoutKeysOf(scan);
        log.warn("scan {}: {}; deleting Job {}/{}", scanId, outcome, namespace, name);
        deleteJob();
    }

    /**
     * Reads the scanner's log to its end, opening it again (from its first line) when the stream
     * broke off, or ended while the scanner still runs (an idle connection closed).
     */
    private void followLog(Pod pod, Consumer<String> lines, Instant giveUp) throws InterruptedException {
        String podName = pod.getMetadata().getName();
        var events = engine ? new EventGaps(lines) : null;
        Consumer<String> passed = events == null ? lines : events::accept;
        int failures = 0;
        // Lines of the longest read so far, and the wait before opening the log again after a
        // read that brought none beyond them: doubled each time, up to a minute.
        long longest = 0;
        var wait = pollInterval;
        while (!cancelled && failures < LOG_ATTEMPTS && Instant.now().isBefore(giveUp)) {
            var read = new long[] {0};
            try (LogWatch watch = client.pods()
                    .inNamespace(namespace)
                    .withName(podName)
                    .inContainer(KubernetesScanManifests.CONTAINER)
                    .watchLog()) {
                following = watch;
                if (cancelled) {
                    return; // cancel() ran before there was a stream to close
                }
                if (events != null) {
                    events.newRead();
                }
                LogLines.forward(watch.getOutput(), line -> {
                    read[0]++;
                    passed.accept(line);
                });
                if (lostEvents(events, podName)) {
                    return;
                }
                if (!scannerRunning(podName)) {
                    return; // the log ended with the scanner
                }
                log.info(
                        "scan {}: the log of pod {}/{} ended with its scanner running; reading it again",
                        scanId,
                        namespace,
                        podName);
                wait = read[0] > longest ? pollInterval : min(wait.multipliedBy(2), MAX_REOPEN_WAIT);
                longest = Math.max(longest, read[0]);
            } catch (BoundedLineReader.LineTooLongException e) {
                // Reading again would only meet the same line: the scan fails, and close() stops the Job.
                outcome = new WorkloadOutcome.Failed(e.getMessage());
                log.warn("scan {}: pod {}/{}: {}", scanId, namespace, podName, e.getMessage());
                return;
            } catch (IOException | KubernetesClientException e) {
                if (cancelled || lostEvents(events, podName)) {
                    return;
                }
                // Reading again starts from the first line: what each line changes is idempotent or
                // only moves forward (docs/runner/protocol.md), so lines read twice change nothing.
                failures++;
                log.warn(
                        "scan {}: the log of pod {}/{} broke off (attempt {} of {})",
                        scanId,
                        namespace,
                        podName,
                        failures,
                        LOG_ATTEMPTS,
                        e);
            } finally {
                following = null;
            }
            Thread.sleep(wait);
        }
        // past the attempts, the Job's status still decides the outcome
    }

    /** Whether the engine's log lost events: the scan then fails, and close() stops the Job. */
    private boolean lostEvents(EventGaps events, String podName) {
        if (events == null || events.lost() == null) {
            return false;
        }
        outcome = new WorkloadOutcome.Failed(events.lost());
        log.warn("scan {}: pod {}/{}: {}", scanId, namespace, podName, events.lost());
        return true;
    }

    private boolean scannerRunning(String podName) {
        Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
        return pod != null
                && scannerStatus(pod)
                        .map(ContainerStatus::getState)
                        .map(ContainerState::getRunning)
                        .isPresent();
    }

    /**
     * The engine numbers its events from 0. A read of its log must start at or before the event
     * after the last one passed on: one that starts further on (the node rotated the log away
     * before a runner read it, as when one taking over a scan reads it from its first line) lost
     * events, and a scan missing findings must not end as if it had them all (it would close them
     * as fixed).
     */
    private final class EventGaps {

        private final Consumer<String> lines;
        private long next;
        private String lost;
        private boolean first;

        EventGaps(Consumer<String> lines) {
            this.lines = lines;
        }

        /** A read of the log starts (from its first line the node kept). */
        void newRead() {
            first = true;
        }

        /**
         * Passes on a line of the current read: an event not passed on before (a read again starts
         * from the first line), while nothing is lost, or a line that is no event.
         */
        void accept(String line) {
            if (lost != null) {
                return;
            }
            long seq;
            try {
                seq = EVENTS.parse(line).seq();
            } catch (RuntimeException e) {
                lines.accept(line); // not an event: the persister logs and skips it
                return;
            }
            if (first && seq > next) {
                lost = "the scanner's log no longer held events " + next + " to " + (seq - 1)
                        + " when it was read (the node rotated it): the scan's results would be incomplete";
                stopFollowing(); // nothing more of it is read
                return;
            }
            first = false;
            if (seq < next) {
                return; // passed on from an earlier read
            }
            next = seq + 1;
            lines.accept(line);
        }

        /** Why the log cannot be trusted to be complete, if it cannot. */
        String lost() {
            return lost;
        }
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
