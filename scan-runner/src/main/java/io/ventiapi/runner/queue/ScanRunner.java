package io.ventiapi.runner.queue;

import io.ventiapi.protocol.JobSeal;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.RunnerProperties;
import io.ventiapi.runner.importer.ScannerReport;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.redisson.api.RBucket;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes scan jobs from the jobs stream and runs them, at least once each:
 *
 * <ul>
 *   <li>a job is acknowledged only after its workload ended and its events were published, and its
 *       entry is deleted then: the stream holds only jobs still to run. Its workload is removed only
 *       after that, so a runner that dies on the way leaves one the next runner attaches to;
 *   <li>every job this runner holds (waiting or running) is kept fresh with a heartbeat; one whose
 *       runner stopped beating for the visibility timeout is taken over by another runner, which
 *       attaches to the workload that may still run instead of starting a second one. The runner
 *       that stalled lets such a job go at its next heartbeat, and tells nothing of its outcome;
 *   <li>only the engine's own output is passed on as event lines; other scanners' reports are
 *       converted ({@link ScannerReport});
 *   <li>waiting jobs are started round-robin across tenants ({@link FairQueue}), each tenant
 *       limited by a Redis semaphore whose permits expire, so a dead runner's slots come back;
 *   <li>a scan of several scanners runs them one after the other in one slot and time box, and
 *       tells their events as one scan's ({@link CombinedScanEvents}).
 * </ul>
 *
 * Scans are cancelled by adding their id to {@link ScanStreams#CANCELLED} and announcing it on
 * {@link ScanStreams#CANCEL_TOPIC}. A runner also checks the set for its running scans at every
 * heartbeat (an announcement it missed), and stops the workload a stopped runner left behind for
 * a cancelled job it takes over ({@link ScanWorkloads#stopIfRunning}). A second job entry for a
 * scan that an earlier entry already took (the api's relay published twice) is acknowledged and
 * dropped, as is one for a scan this runner runs (published again after Redis lost its data).
 */
public class ScanRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScanRunner.class);
    private static final String SLOTS = "venti:tenant-slots:";
    /** How long the first entry of a scan is remembered: longer than any scan and its retries. */
    private static final Duration ENTRY_MEMORY = Duration.ofDays(7);
    /** Jobs one runner holds at most, waiting or running. */
    private static final int MAX_HELD = 1000;

    private static final int READ_BATCH = 100;

    /**
     * Renews the idle time of the given entries this consumer still owns (XCLAIM with idle 0), and
     * returns those another consumer owns now; entries pending for no one are left alone. In one
     * script, so an entry cannot change hands between the check and the claim. KEYS: the stream;
     * ARGV: group, consumer, entry ids.
     */
    private static final String RENEW_OWNED = """
            local owned = {}
            local lost = {}
            for i = 3, #ARGV do
                local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
                if #pending > 0 then
                    if pending[1][2] == ARGV[2] then
                        owned[#owned + 1] = ARGV[i]
                    else
                        lost[#lost + 1] = ARGV[i]
                    end
                end
            end
            for first = 1, #owned, 100 do
                local claim = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0}
                for j = first, math.min(first + 99, #owned) do
                    claim[#claim + 1] = owned[j]
                end
                claim[#claim + 1] = 'JUSTID'
                redis.call(unpack(claim))
            end
            return lost
            """;

    private final RedissonClient redis;
    private final RunnerProperties properties;
    private final ScanWorkloads workloads;
    private final JobSeal seal;
    private final RStream<String, String> jobs;
    private final ScanEventPublisher events;
    private final FairQueue<Held> waiting = new FairQueue<>(Held::tenant);
    private final Set<StreamMessageId> held = new HashSet<>();
    /** Where the next look for abandoned entries starts in the pending list. */
    private StreamMessageId takeOverFrom = StreamMessageId.MIN;

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> cancellations = new ConcurrentLinkedQueue<>();
    /**
     * Entries whose scans no longer run here: acknowledged, or left for a runner to take over (their
     * end could not be published). The loop stops holding them, and so stops beating for them.
     */
    private final ConcurrentLinkedQueue<StreamMessageId> released = new ConcurrentLinkedQueue<>();

    private volatile boolean stopping;
    private Thread loop;
    private int cancelListener;

    /**
     * @param seal opens the credentials of the jobs (the job key the api role seals them with)
     */
    public ScanRunner(RedissonClient redis, RunnerProperties properties, ScanWorkloads workloads, JobSeal seal) {
        this(
                redis,
                properties,
                workloads,
                seal,
                new ScanEventPublisher(redis.getStream(properties.eventsStream(), StringCodec.INSTANCE)));
    }

    /** @param events where the scans' events go (a test's may fail on cue) */
    ScanRunner(
            RedissonClient redis,
            RunnerProperties properties,
            ScanWorkloads workloads,
            JobSeal seal,
            ScanEventPublisher events) {
        this.redis = redis;
        this.properties = properties;
        this.workloads = workloads;
        this.seal = seal;
        this.jobs = redis.getStream(properties.jobsStream(), StringCodec.INSTANCE);
        this.events = events;
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        try {
            createGroup();
        } catch (RuntimeException e) {
            // Redis away: the loop creates the group once a read finds it missing.
            log.warn(
                    "Runner {}: group {} not created yet: {}", properties.consumer(), properties.group(), e.toString());
        }
        cancelListener = redis.<String>getTopic(ScanStreams.CANCEL_TOPIC, StringCodec.INSTANCE)
                .addListener(String.class, (channel, scanId) -> cancellations.add(scanId));
        stopping = false;
        loop = Thread.ofPlatform().name("scan-runner").start(this::loop);
        log.info(
                "Runner {} consuming {} (group {})",
                properties.consumer(),
                properties.jobsStream(),
                properties.group());
    }

    /** Stops taking jobs. Running workloads are left to finish; their jobs stay unacknowledged. */
    @Override
    public synchronized void close() {
        stopping = true;
        redis.getTopic(ScanStreams.CANCEL_TOPIC).removeListener(cancelListener);
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop = null;
        }
        running.values().forEach(scan -> scan.thread().interrupt());
    }

    /** Scans running on this runner now. */
    public int runningCount() {
        return running.size();
    }

    private void loop() {
        var beat = properties.visibilityTimeout().dividedBy(3);
        var nextBeat = Instant.now();
        while (!stopping) {
            try {
                forgetReleased();
                applyCancellations();
                if (!Instant.now().isBefore(nextBeat)) {
                    heartbeat();
                    takeOverAbandoned();
                    nextBeat = Instant.now().plus(beat);
                }
                readNew();
                dispatch();
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (ScanStreams.redisAnswered(e, "NOGROUP")) {
                    groupLost();
                    continue;
                }
                log.warn("Runner loop: {}; retrying", e.toString());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * Creates the consumer group (and the stream, if there is none) reading from the stream's first
     * entry; false if it exists already (BUSYGROUP: another runner created it first).
     */
    private boolean createGroup() {
        return ScanStreams.createdGroup(() -> jobs.createGroup(StreamCreateGroupArgs.name(properties.group())
                .id(StreamMessageId.ALL)
                .makeStream()));
    }

    /**
     * The group is gone: Redis lost its data (restarted without persistence, or failed over), and the
     * stream, if there is one again, was created anew by a later XADD, without the group. Reading
     * failed with NOGROUP, and would for ever. The group is created again from the new stream's
     * first entry, so that no job added since the loss is skipped.
     *
     * <p>The entries held here vanished with the stream: none is pending any more, so the heartbeat
     * neither renews them nor lets them go as taken over. A waiting one is dropped when its turn comes
     * (its entry is gone from the stream); a running one runs to its end, which is published as
     * usual, its acknowledgement finding nothing to acknowledge. The api publishes a queued scan's
     * lost job again.
     */
    private void groupLost() {
        boolean created;
        try {
            created = createGroup();
        } catch (RuntimeException e) {
            log.warn(
                    "Runner loop: group {} is gone and not created again yet: {}; retrying",
                    properties.group(),
                    e.toString());
            sleep(Duration.ofSeconds(1));
            return;
        }
        log.warn(
                "Runner {}: group {} of {} was gone (Redis lost its data?); {} it again, reading from the stream's"
                        + " first entry",
                properties.consumer(),
                properties.group(),
                properties.jobsStream(),
                created ? "created" : "another runner created");
    }

    /**
     * Reads every entry the stream has for this runner (up to what it may hold) before the next
     * dispatch: a lone tenant's scan queued behind a thousand of another tenant's is then in the
     * fair queue at the first round, not several reads later while the other tenant's scans start.
     */
    private void readNew() {
        // Busy: come back soon, so a slot that frees up is refilled within tens of milliseconds.
        var block = running.size() >= properties.concurrency() || waiting.size() > 0
                ? Duration.ofMillis(20)
                : Duration.ofSeconds(1);
        boolean first = true;
        while (!stopping) {
            int room = Math.max(0, MAX_HELD - held.size());
            if (room == 0) {
                if (first) {
                    sleep(Duration.ofMillis(200)); // full: nothing to read until a job ends
                }
                return;
            }
            int batch = Math.min(room, READ_BATCH);
            var args = StreamReadGroupArgs.neverDelivered().count(batch);
            var read = jobs.readGroup(
                    properties.group(), properties.consumer(), block == null ? args : args.timeout(block));
            read.forEach((id, fields) -> hold(id, fields, false));
            if (read.size() < batch) {
                return;
            }
            first = false;
            block = null; // the rest of the backlog is there already: do not wait for more
        }
    }

    private void takeOverAbandoned() {
        var claimed = jobs.autoClaim(
                properties.group(),
                properties.consumer(),
                properties.visibilityTimeout().toMillis(),
                TimeUnit.MILLISECONDS,
                takeOverFrom,
                100);
        // Redis looks through at most 1,000 pending entries per call (its runners' live ones
        // among them): the next heartbeat goes on from there, back to the start once it is through.
        var next = claimed.getNextId();
        takeOverFrom = next == null || next.equals(new StreamMessageId(0, 0)) ? StreamMessageId.MIN : next;
        claimed.getMessages().forEach((id, fields) -> {
            if (!held.contains(id)) {
                log.info("Taking over job {} from a runner that stopped", id);
                hold(id, fields, true);
            }
        });
    }

    /** @param takenOver whether another runner held the entry before (its workload may still run) */
    private void hold(StreamMessageId id, Map<String, String> fields, boolean takenOver) {
        ScanJob job;
        List<ScannerKind> kinds;
        try {
            var message = ScanJobCodec.decodeMessage(fields, seal);
            job = message.job();
            kinds = message.kinds();
        } catch (IllegalArgumentException e) {
            // A message no runner can run would otherwise be retried forever. If it says which
            // scan it is, the scan fails with the reason rather than waiting for ever.
            log.error("Dropping job {}: {}", id, e.getMessage());
            ScanJobCodec.scanOf(fields)
                    .ifPresent(scan -> events.ended(
                            scan.getKey(),
                            scan.getValue(),
                            new WorkloadOutcome.Failed("the runner could not read the scan job: " + e.getMessage())));
            done(id);
            return;
        }
        if (!firstEntryOf(job, id)) {
            log.info("Dropping job {}: scan {} was already taken from an earlier entry", id, job.scanId());
            done(id);
            return;
        }
        if (running.containsKey(job.scanId())) {
            // Published again after Redis lost its data (the earlier entry and its first-entry key
            // with it) while the scan runs here: it goes on, and tells its end.
            log.info("Dropping job {}: scan {} is running here already", id, job.scanId());
            done(id);
            return;
        }
        int cap = ScanJobCodec.tenantConcurrency(fields, properties.defaultTenantConcurrency());
        held.add(id);
        // Only what scheduling needs stays in memory: the job, spec included, is read again when it starts.
        waiting.add(new Held(id, job.scanId(), job.tenant(), kinds, cap, takenOver));
    }

    /** Whether this entry is the first to carry its scan; a later one is a duplicate publication. */
    private boolean firstEntryOf(ScanJob job, StreamMessageId id) {
        RBucket<String> entry =
                redis.getBucket(properties.jobsStream() + ":first-entry:" + job.scanId(), StringCodec.INSTANCE);
        return entry.setIfAbsent(id.toString(), ENTRY_MEMORY) || id.toString().equals(entry.get());
    }

    /**
     * Resets the idle time of every job held here that this runner still owns, renews the tenant
     * slots of running ones, and cancels running scans found in {@link ScanStreams#CANCELLED} whose
     * announcement this runner missed (e.g. while its Redis connection was being restored).
     *
     * <p>A job another runner owns now was taken over from this one (it stalled for longer than the
     * visibility timeout, and was thought dead): it is let go, not claimed back, so that one scan
     * never runs on two runners.
     */
    private void heartbeat() {
        if (!held.isEmpty()) {
            var ids = new Object[held.size() + 2];
            ids[0] = properties.group();
            ids[1] = properties.consumer();
            int i = 2;
            for (var id : held) {
                ids[i++] = id.toString();
            }
            List<Object> lost = redis.getScript(StringCodec.INSTANCE)
                    .eval(
                            properties.jobsStream(),
                            RScript.Mode.READ_WRITE,
                            RENEW_OWNED,
                            RScript.ReturnType.LIST,
                            List.of(properties.jobsStream()),
                            ids);
            if (!lost.isEmpty()) {
                var names = new HashSet<>(lost);
                List.copyOf(held).stream()
                        .filter(id -> names.contains(id.toString()))
                        .forEach(this::letGo);
            }
        }
        for (var scan : running.values()) {
            slots(scan.job().tenant())
                    .updateLeaseTime(scan.permit(), slotLease().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!running.isEmpty()) {
            // One SMISMEMBER for all of them; applied by the loop as an announcement would be.
            cancellations.addAll(redis.<String>getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE)
                    .containsEach(List.copyOf(running.keySet())));
        }
    }

    /**
     * Gives up a job another runner took over: drops it if it waits; stops following its workload,
     * without stopping it or telling an outcome, if it runs (the other runner attaches to it).
     */
    private void letGo(StreamMessageId id) {
        held.remove(id);
        waiting.remove(h -> h.id().equals(id))
                .ifPresent(h -> log.warn("Job {} of scan {} was taken over by another runner", id, h.scanId()));
        for (var scan : running.values()) {
            if (scan.entry().equals(id)) {
                log.warn(
                        "Job {} of scan {} was taken over by another runner (this one stalled); leaving the scan to it",
                        id,
                        scan.job().scanId());
                scan.lost().set(true);
                scan.thread().interrupt();
            }
        }
    }

    private void dispatch() {
        while (running.size() < properties.concurrency()) {
            var next = waiting.next(this::admit);
            if (next.isEmpty()) {
                return;
            }
            var admitted = next.get();
            var held = admitted.job();
            ScanJob job;
            try {
                if (redis.getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE).contains(held.scanId())) {
                    slots(held.tenant()).release(admitted.permit());
                    endCancelled(held);
                    continue;
                }
                var fields = jobs.range(held.id(), held.id()).get(held.id());
                if (fields == null) {
                    // Acknowledged and deleted elsewhere (a runner that took it over ended it): nothing to tell.
                    log.info("Job {} of scan {} is gone from the stream; dropping it", held.id(), held.scanId());
                    slots(held.tenant()).release(admitted.permit());
                    done(held.id()); // clears what this runner's pending list may still hold of it
                    this.held.remove(held.id());
                    continue;
                }
                var loaded = decode(held, fields);
                if (loaded.isEmpty()) {
                    slots(held.tenant()).release(admitted.permit());
                    endWithoutWorkload(held, new WorkloadOutcome.Failed("the scan's job message cannot be read"));
                    continue;
                }
                job = loaded.get();
            } catch (RuntimeException e) {
                // Out of the fair queue already: not held any more either, so that it is not renewed for
                // ever without running; another runner (or this one) takes it over after the timeout.
                giveUp(held, admitted.permit(), e);
                throw e;
            }
            var thread =
                    Thread.ofVirtual().name("scan-" + job.scanId()).unstarted(() -> run(held, job, admitted.permit()));
            running.put(
                    job.scanId(),
                    new Running(
                            held.id(),
                            job,
                            admitted.permit(),
                            thread,
                            new AtomicReference<>(),
                            new CopyOnWriteArrayList<>(),
                            new AtomicBoolean()));
            thread.start();
        }
    }

    /**
     * Lets go of a waiting entry taken out of the fair queue that could not be started or ended (Redis
     * failed on the way): it is no longer held, so no heartbeat renews it and it is taken over after
     * the visibility timeout; the tenant's slot, if one was taken, is given back (or expires).
     */
    private void giveUp(Held job, String permit, RuntimeException cause) {
        log.warn(
                "Job {} of scan {} could not be started or ended: {}; leaving it to be taken over",
                job.id(),
                job.scanId(),
                cause.toString());
        held.remove(job.id());
        if (permit != null) {
            try {
                slots(job.tenant()).tryRelease(permit);
            } catch (RuntimeException e) {
                log.debug("The slot of scan {} could not be given back; it expires", job.scanId(), e);
            }
        }
    }

    /** The job of a held entry, read again from the stream (it was read and checked once already). */
    private Optional<ScanJob> decode(Held held, Map<String, String> fields) {
        try {
            return Optional.of(ScanJobCodec.decode(fields, seal));
        } catch (IllegalArgumentException e) {
            log.error("Job {} of scan {} cannot be read any more: {}", held.id(), held.scanId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A slot for one more scan of {@code tenant}, if its cap allows. */
    private Optional<String> admit(TenantId tenant) {
        var cap = waiting.peek(tenant).map(Held::tenantConcurrency).orElse(properties.defaultTenantConcurrency());
        var slots = slots(tenant);
        slots.trySetPermits(cap);
        try {
            return Optional.ofNullable(slots.tryAcquire(0, slotLease().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Runs the scan, then publishes its end, then acknowledges its entry, and only then removes its
     * workloads: a runner that dies on the way leaves a workload the next one attaches to (and tells
     * the end of again), never an entry whose workload is gone. It never returns with the entry still
     * held and unacknowledged: an end that cannot be published leaves the job, and its workloads, to
     * be taken over.
     */
    private void run(Held held, ScanJob job, String permit) {
        Tenancy.run(job.tenant(), () -> {
            var current = running.get(job.scanId());
            var lost = current.lost();
            var acknowledged = false;
            var leave = false;
            try {
                WorkloadOutcome outcome;
                try {
                    outcome = runParts(held, job);
                } catch (RuntimeException e) {
                    if (stopping || lost.get() || Thread.currentThread().isInterrupted() || interrupted(e)) {
                        leave = true; // a Redis call cut short by the runner stopping: as below
                        return;
                    }
                    log.error("Scan {} could not be run", job.scanId(), e);
                    // Its text (a Kubernetes API server's URL, a namespace, a webhook's answer) is for
                    // the operator, not for every reader of the tenant's scan and its audit events.
                    outcome = new WorkloadOutcome.Failed(
                            "the runner could not run the scan; the runner's log has the details");
                }
                if (lost.get()) {
                    return; // another runner has the job: its outcome is that runner's to tell
                }
                if (stopping) {
                    // The runner's shutdown may be what ended the workload (a local engine is stopped
                    // with it): the next runner tells the outcome.
                    leave = true;
                    return;
                }
                events.ended(job, outcome);
                if (lost.get()) {
                    return;
                }
                done(held.id());
                acknowledged = true;
            } catch (InterruptedException e) {
                // The runner is stopping, or another runner took the job over: leave the workload
                // and the job to whoever has it.
                leave = true;
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (stopping || lost.get() || Thread.currentThread().isInterrupted() || interrupted(e)) {
                    leave = true;
                } else {
                    // Redis away for longer than the publisher waits: the next owner attaches to the
                    // workload and tells its end.
                    log.error(
                            "Scan {}: its end could not be published or its job acknowledged; leaving both to be"
                                    + " taken over",
                            job.scanId(),
                            e);
                }
            } finally {
                running.remove(job.scanId());
                endWorkloads(current, acknowledged, leave);
                if (!lost.get()) {
                    released.add(held.id());
                }
                try {
                    slots(job.tenant()).release(permit);
                } catch (RuntimeException e) {
                    // Stopping, or Redis is away: the permit's lease runs out instead.
                }
            }
        });
    }

    /**
     * Removes the scan's workloads once its job is acknowledged. Otherwise they are left to whoever
     * takes the job over (handed over, so a local child process no one else can reach is stopped),
     * or, if the runner is stopping, left as they are.
     */
    private static void endWorkloads(Running scan, boolean acknowledged, boolean runnerStopping) {
        for (var workload : scan.workloads()) {
            try {
                if (acknowledged && !scan.lost().get()) {
                    workload.close();
                } else if (scan.lost().get() || !runnerStopping) {
                    workload.handOver();
                }
            } catch (RuntimeException e) {
                // Kubernetes removes a Job's Secret and policy with it, after its TTL.
                log.warn(
                        "Scan {}: its workload could not be removed: {}",
                        scan.job().scanId(),
                        e.toString());
            }
        }
    }

    /**
     * Runs the scan's scanners one after the other, within one time box, and tells their events as
     * one scan's ({@link CombinedScanEvents}); stops at the first whose workload did not end
     * normally.
     */
    private WorkloadOutcome runParts(Held held, ScanJob job) throws InterruptedException {
        if (held.kinds().size() == 1) {
            return runPart(job, line -> events.engineLine(job, line));
        }
        var combined = new CombinedScanEvents(job.scanId(), held.kinds());
        var parts = combined.parts();
        var deadline = Instant.now().plus(job.timeBox());
        for (var kind : held.kinds()) {
            var left = Duration.between(Instant.now(), deadline);
            if (!left.isPositive()) {
                return new WorkloadOutcome.TimedOut();
            }
            var part = combined.part();
            var outcome = runPart(
                    job.part(kind, left),
                    line -> combined.pass(line).forEach(pass -> events.engineLine(job, pass, part, parts)));
            switch (outcome) {
                case WorkloadOutcome.Succeeded ignored -> combined.partEnded();
                case WorkloadOutcome.Failed failed -> {
                    return new WorkloadOutcome.Failed(CombinedScanEvents.name(kind) + ": " + failed.reason());
                }
                default -> {
                    return outcome;
                }
            }
        }
        events.engineLine(job, combined.finished(), parts - 1, parts);
        return new WorkloadOutcome.Succeeded();
    }

    /**
     * Runs one scanner and passes its event lines to {@code lines}: the engine's as it prints them;
     * another scanner's converted from its report once its workload succeeded, and nothing else it
     * printed (see {@link ScannerReport}).
     */
    private WorkloadOutcome runPart(ScanJob part, Consumer<String> lines) throws InterruptedException {
        if (part.kind() == ScannerKind.VENTI) {
            return follow(part, scan -> lines);
        }
        var report = new ScannerReport(part, Instant.now());
        lines.accept(report.startedLine());
        var outcome = follow(part, scan -> {
            var stopped = new AtomicBoolean();
            return line -> {
                if (!report.add(line) && stopped.compareAndSet(false, true)) {
                    scan.cancel(); // nothing it prints from now on is read: do not let it run on
                }
            };
        });
        if (report.tooLarge()) {
            return new WorkloadOutcome.Failed(ScannerReport.TOO_LARGE);
        }
        if (!(outcome instanceof WorkloadOutcome.Succeeded)) {
            return outcome;
        }
        List<String> converted;
        try {
            converted = report.findingsAndEnd(Instant.now());
        } catch (ScannerReport.UnreadableReportException e) {
            log.warn("Scan {}: {}", part.scanId(), e.getMessage());
            // Only at DEBUG: the parser's words can quote the tenant's report.
            log.debug("Scan {}: the report of its {} scanner could not be read", part.scanId(), part.kind(), e);
            return new WorkloadOutcome.Failed(e.getMessage());
        }
        converted.forEach(lines);
        return outcome;
    }

    /**
     * Starts (or attaches to) one scanner's workload, feeds what it prints to the consumer {@code
     * output} makes for it and follows it to its end. The workload is removed by {@link #run}, once
     * the scan's end is published and its job acknowledged.
     */
    private WorkloadOutcome follow(ScanJob part, Function<RunningScan, Consumer<String>> output)
            throws InterruptedException {
        var scan = workloads.startOrAttach(part);
        var current = running.get(part.scanId());
        current.workloads().add(scan);
        current.scan().set(scan);
        if (redis.getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE).contains(part.scanId())) {
            // Cancelled while it was being started: the announcement found nothing to stop.
            scan.cancel();
        }
        scan.follow(output.apply(scan));
        return scan.outcome();
    }

    private static boolean interrupted(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private void endWithoutWorkload(Held job, WorkloadOutcome outcome) {
        events.ended(job.scanId(), job.tenant(), outcome);
        done(job.id());
        held.remove(job.id());
    }

    /**
     * Ends a cancelled job that does not run here. One taken over from a runner that stopped may
     * have left its workload running, which no announcement reached: that is stopped first (never
     * started). If it cannot be, the job is left unacknowledged and no longer beaten, so it is taken
     * over again and the stop retried.
     */
    private void endCancelled(Held job) {
        if (job.takenOver()) {
            try {
                Tenancy.run(job.tenant(), () -> workloads.stopIfRunning(job.tenant(), job.scanId()));
            } catch (RuntimeException e) {
                log.warn(
                        "Scan {} is cancelled but its workload could not be stopped: {}; retrying",
                        job.scanId(),
                        e.toString());
                held.remove(job.id());
                return;
            }
        }
        endWithoutWorkload(job, new WorkloadOutcome.Cancelled());
    }

    private void forgetReleased() {
        StreamMessageId id;
        while ((id = released.poll()) != null) {
            held.remove(id);
        }
    }

    /**
     * Acknowledges a job that needs no more running (it ended, or it is dropped) and deletes its
     * entry: a finished job's spec and sealed credentials do not stay in Redis.
     */
    private void done(StreamMessageId id) {
        redis.getScript(StringCodec.INSTANCE)
                .eval(
                        properties.jobsStream(),
                        RScript.Mode.READ_WRITE,
                        ScanStreams.ACK_AND_DELETE,
                        RScript.ReturnType.LONG,
                        List.of(properties.jobsStream()),
                        properties.group(),
                        id.toString());
    }

    private void applyCancellations() {
        String scanId;
        while ((scanId = cancellations.poll()) != null) {
            var target = scanId;
            var scan = running.get(target);
            if (scan != null) {
                var workload = scan.scan().get();
                if (workload != null) {
                    workload.cancel();
                }
                continue;
            }
            waiting.remove(h -> h.scanId().equals(target)).ifPresent(job -> {
                try {
                    endCancelled(job);
                } catch (RuntimeException e) {
                    giveUp(job, null, e);
                    throw e;
                }
            });
        }
    }

    private RPermitExpirableSemaphore slots(TenantId tenant) {
        return redis.getPermitExpirableSemaphore(SLOTS + tenant.value());
    }

    private Duration slotLease() {
        return properties.visibilityTimeout().multipliedBy(2);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job this runner holds: what scheduling needs, not the job itself (its spec can be megabytes). */
    private record Held(
            StreamMessageId id,
            String scanId,
            TenantId tenant,
            List<ScannerKind> kinds,
            int tenantConcurrency,
            boolean takenOver) {}

    /**
     * @param scan the workload running now (the one a cancel stops)
     * @param workloads every workload the scan started, one per scanner so far
     * @param lost set when another runner took the job over: this one leaves it and tells nothing
     */
    private record Running(
            StreamMessageId entry,
            ScanJob job,
            String permit,
            Thread thread,
            AtomicReference<RunningScan> scan,
            List<RunningScan> workloads,
            AtomicBoolean lost) {}
}
