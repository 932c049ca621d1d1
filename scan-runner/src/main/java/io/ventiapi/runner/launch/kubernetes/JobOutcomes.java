package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.ventiapi.runner.launch.WorkloadOutcome;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads how a scan ended from its Job's status conditions and its container's termination. */
final class JobOutcomes {

    /** The reason Kubernetes gives when a Job ran past {@code activeDeadlineSeconds}. */
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    private static final int MAX_TERMINATION_MESSAGE = 500;

    private JobOutcomes() {}

    /** Whether the Job has ended, one way or the other. */
    static boolean isFinished(Job job) {
        return condition(job, "Complete").isPresent()
                || condition(job, "Failed").isPresent();
    }

    /**
     * @param job the Job as last seen, or null when it is gone
     * @param cancelled whether the runner cancelled the scan
     * @param scanner how the scanner container terminated, if its pod is still there to tell
     */
    static WorkloadOutcome outcome(Job job, boolean cancelled, Optional<ContainerStateTerminated> scanner) {
        if (job != null && condition(job, "Complete").isPresent()) {
            return new WorkloadOutcome.Succeeded();
        }
        if (cancelled) {
            return new WorkloadOutcome.Cancelled();
        }
        if (job == null) {
            return new WorkloadOutcome.Failed(
                    "the scanner's Job is gone and its outcome with it (deleted by someone, or expired)");
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        if (failed.isEmpty()) {
            return new WorkloadOutcome.Failed(
                    "the scanner's Job did not finish in time (no Complete or Failed condition)");
        }
        if (DEADLINE_EXCEEDED.equals(failed.get().getReason())) {
            return new WorkloadOutcome.TimedOut();
        }
        return new WorkloadOutcome.Failed(failureReason(failed.get(), scanner));
    }

    /** What the user reads first is what the scanner said; Kubernetes' own words come after. */
    private static String failureReason(JobCondition failed, Optional<ContainerStateTerminated> scanner) {
        String kubernetes = failed.getReason() == null
                ? "Job failed"
                : failed.getReason() + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
        return scanner.map(terminated -> {
                    String said = scannerMessage(terminated.getMessage());
                    return "the scanner exited with code " + terminated.getExitCode()
                            + (said.isEmpty() ? "" : ": " + said) + " (" + kubernetes + ")";
                })
                .orElse(kubernetes);
    }

    /**
     * The termination message falls back to the log's last lines, where event lines (NDJSON on
     * stdout) and the engine's error sentence (stderr) mix: keep the sentences.
     */
    static String scannerMessage(String terminationMessage) {
        if (terminationMessage == null) {
            return "";
        }
        String sentences = Arrays.stream(terminationMessage.split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("{"))
                .collect(Collectors.joining(" "));
        return sentences.length() <= MAX_TERMINATION_MESSAGE
                ? sentences
                : "…" + sentences.substring(sentences.length() - MAX_TERMINATION_MESSAGE);
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(condition -> type.equals(condition.getType()) && "True".equals(condition.getStatus()))
                .findFirst();
    }
}
