package io.ventiapi.runner.launch.local;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.BoundedLineReader;
import io.ventiapi.runner.launch.EngineArguments;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each scan as a child process of the runner: the engine CLI, given the spec and its
 * arguments through files only the runner's user can read (credentials never appear on a
 * command line, where any local user could read them), and of the runner's environment only what
 * a JVM needs ({@link #INHERITED_ENVIRONMENT}). The process is killed on cancel and at the end of
 * the time box. A runner that restarts loses its children: the scan is run again, which event
 * consumers absorb (they are idempotent). Their files go when the runner shuts down ({@link
 * #close}); those of a runner that died are swept by the next one to start.
 */
public class LocalProcessWorkloads implements ScanWorkloads, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessWorkloads.class);

    /**
     * What the engine inherits of the runner's environment: what a JVM, a shell and a configured
     * command need to start. Nothing else: in the all-roles mode the runner's environment can hold
     * the job key, the database password and the master key.
     */
    static final List<String> INHERITED_ENVIRONMENT =
            List.of("PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL", "LC_CTYPE", "JAVA_HOME");

    /** How long past its time box a scan's folder is kept from the sweep: its engine is stopped by then. */
    private static final Duration FOLDER_MARGIN = Duration.ofMinutes(1);

    private final EngineCommand command;
    private final LocalLauncherProperties properties;
    private final ScanEgressPlanner egress;
    private final ConcurrentHashMap<String, LocalScan> running = new ConcurrentHashMap<>();

    /**
     * @param egress where scans may connect: the engine is held to the target's addresses as
     *     resolved and checked at launch ({@code --resolve})
     */
    public LocalProcessWorkloads(LocalLauncherProperties properties, ScanEgressPlanner egress) {
        this.properties = properties;
        this.egress = egress;
        this.command = EngineCommand.resolve(properties.command());
        int swept = ScanWorkDirectories.sweep(properties.workDirectory(), Instant.now());
        if (swept > 0) {
            log.info("removed {} scan work directories a stopped runner left in {}", swept, properties.workDirectory());
        }
        // Children cannot be re-attached after the runner is gone: do not leave them scanning.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-scans-stop"));
    }

    /** Stops the engines still running here and removes their files: the runner is shutting down. */
    @Override
    public void close() {
        running.values().forEach(LocalScan::close);
    }

    @Override
    public RunningScan startOrAttach(ScanJob job) {
        if (job.kind() != ScannerKind.VENTI) {
            return LocalScan.refused(job.kind() + " scans need the Kubernetes launcher (they run container images)");
        }
        var existing = running.get(job.scanId());
        if (existing != null && existing.isAlive()) {
            return existing;
        }
        // Resolved outside the map's lock: the tenant's DNS decides how long it takes.
        Map<String, List<InetAddress>> pins;
        try {
            pins = ScanEgressPlanner.pins(egress.destinations(job));
        } catch (ScanEgressPlanner.RefusedEgressException e) {
            log.warn("scan {}: not started: {}", job.scanId(), e.detail());
            return LocalScan.refused(e.getMessage());
        }
        return running.compute(
                job.scanId(),
                (id, current) -> current != null && current.isAlive()
                        ? current
                        : LocalScan.start(job, command, properties, pins, () -> running.remove(id)));
    }

    /**
     * A child of a runner that died died with it; only one left behind in this process (its
     * runner was closed) can still run.
     */
    @Override
    public void stopIfRunning(TenantId tenant, String scanId) {
        var existing = running.get(scanId);
        if (existing != null) {
            existing.cancel();
            existing.close();
        }
    }

    /** One engine process. */
    static final class LocalScan implements RunningScan {

        private static final int STDERR_TAIL = 20;

        private final Process process;
        private final Path workDirectory;
        private final ScanJob job;
        private final LocalLauncherProperties properties;
        private final Runnable onClose;
        private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
        private final List<String> output = new ArrayList<>();
        private boolean outputEnded;
        private Thread stderrDrainer;
        private final String refusal;
        private volatile boolean cancelled;
        private volatile boolean timedOut;
        /** Why its output could not be read (a line past the bound); it was stopped for it. */
        private volatile String outputFailure;

        private volatile WorkloadOutcome outcome;
        private final AtomicBoolean closed = new AtomicBoolean();

        private LocalScan(
                Process process,
                Path workDirectory,
                ScanJob job,
                LocalLauncherProperties properties,
                Runnable onClose,
                String refusal) {
            this.process = process;
            this.workDirectory = workDirectory;
            this.job = job;
            this.properties = properties;
            this.onClose = onClose;
            this.refusal = refusal;
        }

        static LocalScan refused(String reason) {
            return new LocalScan(null, null, null, null, () -> {}, reason);
        }

        static LocalScan start(
                ScanJob job,
                EngineCommand command,
                LocalLauncherProperties properties,
                Map<String, List<InetAddress>> pins,
                Runnable onClose) {
            Path directory = null;
            try {
                // Past this, the deadline below has stopped the engine: the folder is no one's.
                var expires = Instant.now()
                        .plus(job.timeBox())
                        .plus(properties.stopGrace().multipliedBy(2))
                        .plus(FOLDER_MARGIN);
                directory = ScanWorkDirectories.create(properties.workDirectory(), expires);
                var spec = privateFile(directory.resolve("spec"));
                Files.writeString(spec, job.specDocument());
                var arguments = privateFile(directory.resolve("arguments"));
                Files.writeString(arguments, command.argumentFile(EngineArguments.of(job, spec.toString(), pins)));
                var builder = new ProcessBuilder(command.commandLine(arguments)).directory(directory.toFile());
                confine(builder.environment());
                if (job.traceparent() != null) {
                    builder.environment().put("TRACEPARENT", job.traceparent());
                }
                var process = builder.start();
                process.getOutputStream().close();
                var scan = new LocalScan(process, directory, job, properties, onClose, null);
                Thread.ofVirtual().name("engine-stdout-" + job.scanId()).start(scan::readStdout);
                scan.stderrDrainer =
                        Thread.ofVirtual().name("engine-stderr-" + job.scanId()).start(scan::drainStderr);
                return scan;
            } catch (IOException e) {
                ScanWorkDirectories.delete(directory);
                return refused("the engine could not be started: " + e.getMessage());
            }
        }

        /** Keeps of {@code environment} (the runner's, to start with) only {@link #INHERITED_ENVIRONMENT}. */
        private static void confine(Map<String, String> environment) {
            environment.keySet().retainAll(INHERITED_ENVIRONMENT);
        }

        private static Path privateFile(Path path) throws IOException {
            return Files.createFile(
                    path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        @Override
        public void follow(Consumer<String> lines) throws InterruptedException {
            if (process == null) {
                outcome = new WorkloadOutcome.Failed(refusal);
                return;
            }
            // The engine stops itself at the time box; this is the backstop if it does not.
            var deadline = Thread.ofVirtual().start(() -> {
                try {
                    if (!process.waitFor(
                            job.timeBox().plus(properties.stopGrace()).toMillis(), TimeUnit.MILLISECONDS)) {
                        timedOut = true;
                        stop();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Every follower gets every line from the first: a runner that attached after another
            // stopped publishes them again, and the persisters recognise the repeats.
            int next = 0;
            while (true) {
                String line;
                synchronized (output) {
                    while (next >= output.size() && !outputEnded) {
                        output.wait();
                    }
                    if (next >= output.size()) {
                        break;
                    }
                    line = output.get(next++);
                }
                lines.accept(line);
            }
            int exit = process.waitFor();
            deadline.interrupt();
            // The reason of a failure is the engine's last stderr line: read it to the end first.
            // A bounded wait, since a grandchild the engine left behind could hold stderr open.
            stderrDrainer.join(properties.stopGrace());
            outcome = decide(exit);
        }

        private WorkloadOutcome decide(int exit) {
            if (cancelled) {
                return new WorkloadOutcome.Cancelled();
            }
            if (timedOut) {
                return new WorkloadOutcome.TimedOut();
            }
            if (outputFailure != null) {
                return new WorkloadOutcome.Failed(outputFailure);
            }
            // 0: done. The runner never sets --fail-on, so 1 is not "findings found" but a failure,
            // e.g. the java launcher not finding the engine.
            if (exit == 0) {
                return new WorkloadOutcome.Succeeded();
            }
            String last;
            synchronized (stderrTail) {
                last = stderrTail.isEmpty() ? "" : ": " + stderrTail.peekLast();
            }
            return new WorkloadOutcome.Failed("the engine exited with code " + exit + last);
        }

        @Override
        public WorkloadOutcome outcome() {
            if (outcome == null) {
                throw new IllegalStateException("follow() has not returned yet");
            }
            return outcome;
        }

        @Override
        public void cancel() {
            cancelled = true;
            stop();
        }

        private void stop() {
            if (process == null) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(properties.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        /** No other runner can attach to this process: it must not scan on beside the new owner's. */
        @Override
        public void handOver() {
            close();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return; // the runner shutting down and the scan's own end may both close it
            }
            if (isAlive()) {
                stop();
            }
            ScanWorkDirectories.delete(workDirectory);
            onClose.run();
        }

        /** Reads the engine's stdout once, for every follower. */
        private void readStdout() {
            try (var stdout = process.getInputStream()) {
                var out = new BoundedLineReader(stdout);
                String line;
                while ((line = out.readLine()) != null) {
                    if (!line.isBlank()) {
                        synchronized (output) {
                            output.add(line);
                            output.notifyAll();
                        }
                    }
                }
            } catch (BoundedLineReader.LineTooLongException e) {
                // Nothing it prints after such a line can be trusted to be read right: stop it.
                log.warn("scan {}: {}; stopping the engine", job.scanId(), e.getMessage());
                outputFailure = e.getMessage();
                stop();
            } catch (IOException e) {
                log.debug("engine output of scan {} ended: {}", job.scanId(), e.getMessage());
            } finally {
                synchronized (output) {
                    outputEnded = true;
                    output.notifyAll();
                }
            }
        }

        private void drainStderr() {
            try (var stderr = process.getErrorStream()) {
                var err = new BoundedLineReader(stderr);
                try {
                    String line;
                    while ((line = err.readLine()) != null) {
                        if (!line.isBlank()) {
                            keepInTail(line);
                        }
                    }
                } catch (BoundedLineReader.LineTooLongException e) {
                    // Not worth keeping, nor a reason to stop the engine: read on and keep nothing.
                    keepInTail("(a line too long to show)");
                    stderr.transferTo(OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        private void keepInTail(String line) {
            synchronized (stderrTail) {
                if (stderrTail.size() == STDERR_TAIL) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
        }
    }
}
