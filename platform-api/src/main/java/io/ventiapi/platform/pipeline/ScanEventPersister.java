package io.ventiapi.platform.pipeline;

import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.platform.common.StorableText;
import io.ventiapi.platform.common.TransientFailures;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.finding.Confidence;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.ObservedFinding;
import io.ventiapi.platform.finding.OwaspCategory;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.tenancy.TenantId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The api role's consumer of {@link ScanStreams#EVENTS} (group {@link ScanStreams#PERSISTERS}):
 * moves scans through their states, records findings, and when a scan succeeded compares it with
 * the project's earlier scans. Each change is announced to {@code scanProgress} subscribers.
 *
 * <p>Replaying the stream changes nothing: states only move forward, findings are upserted by
 * fingerprint, and reports for a scan that has ended are ignored. An entry is acknowledged after
 * its change committed; if the database is away, the entry stays pending and is read again, in
 * order, before anything newer. Entries left pending by a replica that stopped are taken over
 * after {@code venti.pipeline.visibility-timeout}. An applied entry is deleted from the stream. An
 * entry that can never apply (malformed, about
 * a scan that does not exist in its tenant, or refused by the database {@value #ATTEMPTS} times) is
 * set aside: kept on {@link #SET_ASIDE} with why, and its scan, if still going, fails, since a scan
 * that lost a report must not close findings as fixed.
 */
public class ScanEventPersister implements AutoCloseable {

    /** Where entries that can never apply are kept for the operator: the newest {@value #SET_ASIDE_KEPT}, for 7 days. */
    public static final String SET_ASIDE = "venti:scan-events:set-aside";

    /** How many times an entry the database refuses is tried before it is set aside. */
    static final int ATTEMPTS = 5;

    private static final int SET_ASIDE_KEPT = 10_000;
    private static final int BATCH = 100;
    /** How many pages of the group's earlier pending entries an end looks through for its scan's. */
    private static final int EARLIER_PAGES = 10;

    private static final Duration SET_ASIDE_AGE = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(ScanEventPersister.class);

    private final RStream<String, String> events;
    /** Acknowledges and deletes applied entries ({@link ScanStreams#ACK_AND_DELETE}). */
    private final RScript done;

    private final RStream<String, String> setAside;
    /** Entries the database refused, with how many times; forgotten once acknowledged. */
    private final Map<StreamMessageId, Integer> refusals = new HashMap<>();
    /** Entries set aside whose scan could not be failed, with how many times. */
    private final Map<StreamMessageId, Integer> unabandoned = new HashMap<>();

    private final ScanService scans;
    private final FindingRecorder findings;
    private final TransactionTemplate tx;
    private final ScanProgressFeed feed;
    private final PipelineProperties properties;
    private final ScanEventCodec codec = new ScanEventCodec();
    private final BackgroundLoop loop;
    private Instant nextTakeOver = Instant.now();
    private StreamMessageId takeOverFrom = StreamMessageId.MIN;
    /**
     * Scans whose end waits for earlier entries another replica holds (their ids, as {@link
     * UUID#toString()} writes them): their later entries on this replica wait with it.
     */
    private final Set<String> held = new HashSet<>();

    private Instant nextHeldCheck = Instant.now();
    /** Whether entries this consumer read before (a restart or a failure) are to be read again first. */
    private boolean backlog = true;

    ScanEventPersister(
            RedissonClient redis,
            ScanService scans,
            FindingRecorder findings,
            TransactionTemplate tx,
            ScanProgressFeed feed,
            PipelineProperties properties) {
        this.events = redis.getStream(ScanStreams.EVENTS, StringCodec.INSTANCE);
        this.done = redis.getScript(StringCodec.INSTANCE);
        this.setAside = redis.getStream(SET_ASIDE, StringCodec.INSTANCE);
        this.scans = scans;
        this.findings = findings;
        this.tx = tx;
        this.feed = feed;
        this.properties = properties;
        this.loop = new BackgroundLoop("scan-event-persister", this::step, () -> backlog = true, Duration.ofSeconds(1));
    }

    synchronized void start() {
        if (loop.isRunning()) {
            return;
        }
        try {
            createGroup();
        } catch (RuntimeException e) {
            // Redis away: the loop creates the group once a read finds it missing.
            log.warn("Group {} not created yet: {}", ScanStreams.PERSISTERS, e.toString());
        }
        backlog = true;
        loop.start();
    }

    /**
     * Creates the consumer group (and the stream, if there is none) reading from the stream's first
     * entry; false if it exists already (BUSYGROUP: another replica created it first).
     */
    private boolean createGroup() {
        return ScanStreams.createdGroup(() -> events.createGroup(StreamCreateGroupArgs.name(ScanStreams.PERSISTERS)
                .id(StreamMessageId.ALL)
                .makeStream()));
    }

    /**
     * The group is gone: Redis lost its data (restarted without persistence, or failed over), and the
     * stream, if there is one again, was created anew by a runner's XADD, without the group. Reading
     * failed with NOGROUP, and would for ever. The group is created again from the new stream's first
     * entry, so that no event added since the loss is skipped; what this replica remembered of
     * entries that vanished is forgotten. (A failure to create it is the loop's to retry.)
     */
    private void groupLost() {
        var created = createGroup();
        log.warn(
                "Group {} of {} was gone (Redis lost its data?); {} it again, reading from the stream's first entry",
                ScanStreams.PERSISTERS,
                ScanStreams.EVENTS,
                created ? "created" : "another replica created");
        held.clear();
        refusals.clear();
        unabandoned.clear();
        takeOverFrom = StreamMessageId.MIN;
        nextTakeOver = Instant.now();
        backlog = true;
    }

    @Override
    public void close() {
        loop.stop();
    }

    private void step() {
        try {
            takeOverAndPersist();
        } catch (RuntimeException e) {
            if (!ScanStreams.redisAnswered(e, "NOGROUP")) {
                throw e;
            }
            groupLost();
        }
    }

    private void takeOverAndPersist() {
        // Entries a stopped replica left are taken over even while this one works through its
        // own: an end of its own may be waiting for one of them (see requireEarlierApplied).
        if (!Instant.now().isBefore(nextTakeOver)) {
            var claimed = events.autoClaim(
                    ScanStreams.PERSISTERS,
                    properties.consumer(),
                    properties.visibilityTimeout().toMillis(),
                    TimeUnit.MILLISECONDS,
                    takeOverFrom,
                    BATCH);
            // Redis looks through a part of the pending list per call: the next call goes on from there.
            takeOverFrom = claimed.getNextId() == null ? StreamMessageId.MIN : claimed.getNextId();
            if (takeOverFrom.equals(new StreamMessageId(0, 0))) {
                takeOverFrom = StreamMessageId.MIN;
                nextTakeOver = Instant.now().plus(properties.visibilityTimeout().dividedBy(3));
            }
            // Now this consumer's own, applied below in order with the rest of them.
            backlog |= !claimed.getMessages().isEmpty();
        }
        // Own pending entries are replayed, in order, before anything new: after a failure or a
        // take-over at once, and while ends are held only once a second.
        var now = Instant.now();
        if (backlog || !held.isEmpty() && !now.isBefore(nextHeldCheck)) {
            held.clear();
            backlog = !replayOwn();
            nextHeldCheck = Instant.now().plusSeconds(1);
            if (backlog) {
                return;
            }
        }
        // New entries, but none of a scan whose end is held: those wait for the next replay.
        backlog = !persist(events.readGroup(
                ScanStreams.PERSISTERS,
                properties.consumer(),
                StreamReadGroupArgs.neverDelivered().count(BATCH).timeout(Duration.ofSeconds(1))));
    }

    /** Applies this consumer's pending entries, all of them, in order; false if one could not be applied for now. */
    private boolean replayOwn() {
        var after = new StreamMessageId(0, 0);
        while (true) {
            var own = events.readGroup(
                    ScanStreams.PERSISTERS,
                    properties.consumer(),
                    StreamReadGroupArgs.greaterThan(after).count(BATCH));
            if (!persist(own)) {
                return false;
            }
            if (own.size() < BATCH) {
                return true;
            }
            for (var id : own.keySet()) {
                if (id.getId0() > after.getId0() || id.getId0() == after.getId0() && id.getId1() > after.getId1()) {
                    after = id;
                }
            }
        }
    }

    /**
     * Applies entries in order; stops at the first that could not be applied for now (false). An
     * end that must wait for its scan's earlier entries stays pending and holds back the rest of
     * its scan's entries on this replica (in {@link #held}), not other scans'.
     */
    private boolean persist(Map<StreamMessageId, Map<String, String>> entries) {
        if (refusals.size() + unabandoned.size() > 1_000) {
            // entries another replica took over while this one was retrying them
            refusals.clear();
            unabandoned.clear();
        }
        for (var entry : entries.entrySet()) {
            var id = entry.getKey();
            // An entry deleted from the stream while pending comes back without its fields.
            var fields = entry.getValue() == null ? Map.<String, String>of() : entry.getValue();
            var scan = heldKey(fields);
            if (held.contains(scan)) {
                continue;
            }
            try {
                apply(id, fields);
            } catch (EarlierPending e) {
                log.debug("The end of scan {} waits for its earlier events", scan);
                held.add(scan);
                continue;
            } catch (ScanEventCodec.NotAnEvent e) {
                // What else a scanner prints (its log, a warning) comes on the same stream: not a report.
                log.debug("Scan {} printed a line that is not a scan event; skipped", scan);
            } catch (RuntimeException e) {
                if (ScanStreams.redisAnswered(e, "NOGROUP")) {
                    throw e; // not the entry's fault: see step
                }
                if (!hopeless(id, e) || !setAside(id, fields, e)) {
                    log.warn("Scan event {} not applied yet: {}", id, describe(e));
                    log.debug("Scan event {} not applied yet", id, e);
                    sleep(Duration.ofSeconds(1));
                    return false;
                }
            }
            refusals.remove(id);
            unabandoned.remove(id);
            // Applied: the entry (evidence as the scanner wrote it, before redaction) is not kept.
            done.eval(
                    ScanStreams.EVENTS,
                    RScript.Mode.READ_WRITE,
                    ScanStreams.ACK_AND_DELETE,
                    RScript.ReturnType.LONG,
                    List.of(ScanStreams.EVENTS),
                    ScanStreams.PERSISTERS,
                    id.toString());
        }
        return true;
    }

    /**
     * Whether an entry that failed so will never apply. A database that is away or busy will be
     * back; one that refused the change may have refused a race (two replicas inserting one
     * finding, say), so it gets {@value #ATTEMPTS} tries. Anything else is the entry's own fault.
     */
    private boolean hopeless(StreamMessageId id, RuntimeException e) {
        if (TransientFailures.test(e)) {
            return false;
        }
        if (e instanceof DataAccessException || e instanceof TransactionException) {
            return refusals.merge(id, 1, Integer::sum) >= ATTEMPTS;
        }
        return true;
    }

    /**
     * Sets an entry aside: fails its scan if it is still going, then keeps the entry on {@link
     * #SET_ASIDE} with why. False if the scan could not be failed for now (the entry stays pending:
     * a scan that goes on without the report could close its finding as fixed).
     */
    private boolean setAside(StreamMessageId id, Map<String, String> entry, RuntimeException e) {
        try {
            abandonScan(entry, e);
        } catch (RuntimeException failure) {
            if (TransientFailures.test(failure) || unabandoned.merge(id, 1, Integer::sum) < ATTEMPTS) {
                log.warn(
                        "Scan {} not failed yet for its event {}: {}",
                        entry.get(ScanStreams.SCAN_ID),
                        id,
                        describe(failure));
                return false;
            }
            log.error(
                    "Scan {} could not be failed for its event {}, and goes on without it: {}",
                    entry.get(ScanStreams.SCAN_ID),
                    id,
                    describe(failure));
        }
        log.error("Setting aside scan event {} of scan {}: {}", id, entry.get(ScanStreams.SCAN_ID), describe(e));
        log.debug("Scan event {} set aside", id, e);
        var kept = new LinkedHashMap<>(entry);
        kept.put("entryId", id.toString());
        kept.put("error", describe(e));
        setAside.add(StreamAddArgs.entries(kept)
                .trimNonStrict()
                .maxLen(SET_ASIDE_KEPT)
                .noLimit());
        setAside.trimNonStrict(StreamTrimArgs.minId(
                        new StreamMessageId(Instant.now().minus(SET_ASIDE_AGE).toEpochMilli(), 0))
                .noLimit());
        return true;
    }

    /** Fails the entry's scan, if the entry names one of its tenant's and it is still going. */
    private void abandonScan(Map<String, String> entry, RuntimeException why) {
        UUID scanId;
        TenantId tenant;
        try {
            scanId = scanId(entry);
            tenant = tenant(entry);
        } catch (Malformed e) {
            return; // no scan to fail
        }
        // A report the platform refused says what was wrong with it; anything else is the operator's.
        var reason = "a report of its scanner could not be stored: "
                + (why.getCause() instanceof UserErrorException || why instanceof CodecRefusal
                        ? why.getMessage()
                        : "the platform's log has the details");
        SystemActor.run(tenant, () -> {
            try {
                scans.abandon(scanId, reason).ifPresent(scan -> feed.publish(ScanProgress.of(tenant.value(), scan)));
            } catch (UserErrorException e) {
                // not a scan of this tenant
            }
        });
    }

    /**
     * A failure as the log and the set-aside entry show it. Only the platform's own words: the
     * database's text, a parser's or an unexpected exception's can quote the tenant's data.
     */
    static String describe(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return e.getClass().getSimpleName() + " (SQL state " + sql.getSQLState() + ")";
            }
        }
        return e instanceof Malformed || e.getCause() instanceof UserErrorException || e instanceof CodecRefusal
                ? e.getMessage()
                : e.getClass().getName();
    }

    /** The entry's scan as {@link #held} names it; "" for an entry that names none. */
    private static String heldKey(Map<String, String> entry) {
        try {
            return scanId(entry).toString();
        } catch (Malformed e) {
            return "";
        }
    }

    /** Applies one entry of the events stream. */
    void apply(StreamMessageId id, Map<String, String> entry) {
        var scanId = scanId(entry);
        var tenant = tenant(entry);
        var kind = required(entry, ScanStreams.KIND);
        SystemActor.run(tenant, () -> {
            try {
                var changed = switch (kind) {
                    case ScanStreams.KIND_ENGINE ->
                        engineLine(scanId, event(required(entry, ScanStreams.LINE)), Part.of(entry));
                    case ScanStreams.KIND_WORKLOAD -> {
                        requireEarlierApplied(id, scanId);
                        yield ended(
                                scanId,
                                required(entry, ScanStreams.OUTCOME),
                                StorableText.replacingNul(entry.get(ScanStreams.REASON)));
                    }
                    default -> throw new Malformed("the entry's kind is neither engine nor workload");
                };
                changed.ifPresent(scan -> feed.publish(ScanProgress.of(tenant.value(), scan)));
            } catch (UserErrorException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    /**
     * Api replicas read one stream, so one scan's entries may be applied by several at once. Its
     * end must come after everything the scan reported: an end that overtook a report still being
     * applied elsewhere would close that finding as fixed, then ignore the report. So the end waits
     * while an earlier entry of its scan is pending (delivered to a replica, not acknowledged).
     * Every earlier entry was delivered before this one, so none is missed; past {@value
     * #EARLIER_PAGES} pages of other scans' entries, it waits too.
     */
    private void requireEarlierApplied(StreamMessageId id, UUID scanId) {
        var scan = scanId.toString();
        var from = StreamMessageId.MIN;
        for (int page = 0; page < EARLIER_PAGES; page++) {
            // Paged by the pending list itself: an entry trimmed from the stream has no fields.
            var pending = events.listPending(ScanStreams.PERSISTERS, from, id, BATCH);
            if (pending.isEmpty()) {
                return;
            }
            var last = pending.getLast().getId();
            var earlier = events.pendingRange(ScanStreams.PERSISTERS, from, last, BATCH);
            earlier.remove(id);
            if (earlier.values().stream().anyMatch(entry -> entry != null && scan.equals(heldKey(entry)))) {
                throw new EarlierPending();
            }
            if (pending.size() < BATCH) {
                return;
            }
            from = new StreamMessageId(last.getId0(), last.getId1() + 1);
        }
        throw new EarlierPending();
    }

    /** An end that must wait for earlier entries of its scan; not a failure. */
    private static final class EarlierPending extends RuntimeException {
        EarlierPending() {
            super(null, null, false, false);
        }
    }

    private ScanEvent event(String line) {
        try {
            return codec.parse(line);
        } catch (ScanEventCodec.NotAnEvent e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CodecRefusal(e.getMessage(), e);
        }
    }

    private Optional<Scan> engineLine(UUID scanId, ScanEvent event, Part part) {
        return switch (event) {
            case ScanEvent.ScanStarted started -> scans.scannerStarted(scanId, started.time());
            case ScanEvent.Progress progress ->
                scans.scannerProgressed(
                        scanId,
                        StorableText.replacingNul(progress.phase()),
                        progress.requestsSent(),
                        part.overall(percent(progress)));
            case ScanEvent.FindingReported reported -> {
                var recorded = findings.record(scanId, List.of(observed(reported.finding())));
                yield recorded.isEmpty() ? Optional.empty() : scans.find(scanId);
            }
            case ScanEvent.ScanFinished finished -> {
                scans.scannerFinished(
                        scanId,
                        finished.outcome().name(),
                        StorableText.replacingNul(finished.reason()),
                        finished.requestsSent());
                yield Optional.empty();
            }
        };
    }

    /** Ends the scan and, if it succeeded, compares it with the earlier ones, in one transaction. */
    private Optional<Scan> ended(UUID scanId, String outcome, String reason) {
        return tx.execute(status -> {
            var ended = scans.workloadEnded(scanId, outcome, reason);
            if (ended.isPresent() && ended.get().getStatus() == ScanStatus.SUCCEEDED) {
                findings.closeScan(scanId);
            }
            return ended;
        });
    }

    /**
     * Which of the scan's scanners an engine entry is about ({@link ScanStreams#PART} of {@link
     * ScanStreams#PARTS}): a scan of several runs them one after the other, each its share of the
     * bar. An entry without both fields (one scanner, or an older runner), or whose fields are not
     * integers with {@code 0 <= part < parts <=} {@value ScanStreams#MAX_PARTS}, is about a scan of
     * one part: the fields never fail the event.
     */
    record Part(int index, int count) {

        static final Part ONE = new Part(0, 1);

        static Part of(Map<String, String> entry) {
            var index = entry.get(ScanStreams.PART);
            var count = entry.get(ScanStreams.PARTS);
            if (index == null || count == null) {
                return ONE;
            }
            try {
                var part = new Part(Integer.parseInt(index.strip()), Integer.parseInt(count.strip()));
                return part.index() >= 0 && part.index() < part.count() && part.count() <= ScanStreams.MAX_PARTS
                        ? part
                        : ONE;
            } catch (NumberFormatException e) {
                return ONE;
            }
        }

        /** The whole scan's percentage for one of its part's: the parts before it done, this one so far. */
        int overall(int percentOfPart) {
            return (index * 100 + percentOfPart) / count;
        }
    }

    /**
     * A rough percentage from what the engine reports: the baseline pass (one request per
     * operation) is the first 40 %, the checks up to 90 %, cleanup the rest.
     */
    static int percent(ScanEvent.Progress progress) {
        return switch (progress.phase()) {
            case "baseline" ->
                progress.operationsTotal() == 0
                        ? 5
                        : 5
                                + 35
                                        * Math.min(progress.operationsDone(), progress.operationsTotal())
                                        / progress.operationsTotal();
            case "checks" -> 50;
            case "cleanup" -> 90;
            // a later phase, or the runner's own line at the start of a scanner of several (its name)
            default -> 1;
        };
    }

    /**
     * An engine finding as the platform stores it. The engine's evidence is a list of exchanges:
     * the first is the request and response shown, the explanation follows the response.
     */
    static ObservedFinding observed(io.ventiapi.engine.Finding finding) {
        Evidence evidence = finding.evidence();
        String request = null;
        String response = null;
        if (evidence != null && !evidence.exchanges().isEmpty()) {
            request = evidence.exchanges().getFirst().request();
            response = evidence.exchanges().getFirst().response();
        }
        if (evidence != null
                && evidence.explanation() != null
                && !evidence.explanation().isBlank()) {
            response = (response == null ? "" : response + "\n\n") + "Why: " + evidence.explanation();
        }
        return new ObservedFinding(
                StorableText.replacingNul(finding.fingerprint().value()),
                StorableText.replacingNul(finding.ruleId()),
                StorableText.replacingNul(finding.title()),
                OwaspCategory.valueOf(finding.category().name()),
                finding.cweId() > 0 ? finding.cweId() : null,
                Severity.valueOf(finding.severity().name()),
                switch (finding.confidence()) {
                    case FIRM -> Confidence.MEDIUM;
                    case CONFIRMED -> Confidence.HIGH;
                },
                StorableText.replacingNul(finding.method()),
                StorableText.replacingNul(finding.pathTemplate()),
                StorableText.replacingNul(finding.parameter()),
                StorableText.replacingNul(request),
                StorableText.replacingNul(response),
                StorableText.replacingNul(finding.remediation()));
    }

    private static String required(Map<String, String> entry, String field) {
        var value = entry.get(field);
        if (value == null || value.isBlank()) {
            throw new Malformed("the entry has no " + field);
        }
        return value;
    }

    private static UUID scanId(Map<String, String> entry) {
        try {
            return UUID.fromString(required(entry, ScanStreams.SCAN_ID));
        } catch (IllegalArgumentException e) {
            throw e instanceof Malformed
                    ? e
                    : new Malformed("the entry's " + ScanStreams.SCAN_ID + " is not a scan id");
        }
    }

    private static TenantId tenant(Map<String, String> entry) {
        var value = required(entry, ScanStreams.TENANT);
        if (!TenantId.isValid(value)) {
            throw new Malformed("the entry's " + ScanStreams.TENANT + " is not a tenant id");
        }
        return TenantId.of(value);
    }

    /** An entry the runner did not write as the protocol says; the message is the platform's own words. */
    private static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }

    /** An event line that is one, but whose fields do not make that event; the message is the codec's own words. */
    private static final class CodecRefusal extends IllegalArgumentException {
        CodecRefusal(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
