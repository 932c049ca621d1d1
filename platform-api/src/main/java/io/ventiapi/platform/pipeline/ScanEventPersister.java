package io.ventiapi.platform.pipeline;

import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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
 * after {@code venti.pipeline.visibility-timeout}. An entry that can never apply (malformed, or
 * about a scan that does not exist in its tenant) is logged and dropped.
 */
public class ScanEventPersister implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScanEventPersister.class);

    private final RStream<String, String> events;
    private final ScanService scans;
    private final FindingRecorder findings;
    private final TransactionTemplate tx;
    private final ScanProgressFeed feed;
    private final PipelineProperties properties;
    private final ScanEventCodec codec = new ScanEventCodec();
    private final BackgroundLoop loop;
    private Instant nextTakeOver = Instant.now();
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
            events.createGroup(StreamCreateGroupArgs.name(ScanStreams.PERSISTERS)
                    .id(StreamMessageId.ALL)
                    .makeStream());
        } catch (RuntimeException e) {
            // BUSYGROUP: another replica created it.
        }
        backlog = true;
        loop.start();
    }

    @Override
    public void close() {
        loop.stop();
    }

    private void step() {
        if (backlog) {
            backlog = !persist(events.readGroup(
                    ScanStreams.PERSISTERS,
                    properties.consumer(),
                    StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0)).count(100)));
            return;
        }
        if (!Instant.now().isBefore(nextTakeOver)) {
            var claimed = events.autoClaim(
                    ScanStreams.PERSISTERS,
                    properties.consumer(),
                    properties.visibilityTimeout().toMillis(),
                    TimeUnit.MILLISECONDS,
                    StreamMessageId.MIN,
                    100);
            backlog = !persist(claimed.getMessages());
            nextTakeOver = Instant.now().plus(properties.visibilityTimeout().dividedBy(3));
        }
        backlog |= !persist(events.readGroup(
                ScanStreams.PERSISTERS,
                properties.consumer(),
                StreamReadGroupArgs.neverDelivered().count(100).timeout(Duration.ofSeconds(1))));
    }

    /** Applies entries in order; stops at the first that could not be applied for now (false). */
    private boolean persist(Map<StreamMessageId, Map<String, String>> entries) {
        for (var entry : entries.entrySet()) {
            try {
                apply(entry.getValue());
            } catch (DataAccessException e) {
                log.warn("Scan event {} not applied yet: {}", entry.getKey(), e.toString());
                sleep(Duration.ofSeconds(1));
                return false;
            } catch (RuntimeException e) {
                log.error(
                        "Dropping scan event {} of scan {}: {}",
                        entry.getKey(),
                        entry.getValue().get(ScanStreams.SCAN_ID),
                        e.toString());
            }
            events.ack(ScanStreams.PERSISTERS, entry.getKey());
        }
        return true;
    }

    /** Applies one entry of the events stream. */
    void apply(Map<String, String> entry) {
        var scanId = UUID.fromString(required(entry, ScanStreams.SCAN_ID));
        var tenant = TenantId.of(required(entry, ScanStreams.TENANT));
        SystemActor.run(tenant, () -> {
            try {
                var changed = switch (required(entry, ScanStreams.KIND)) {
                    case ScanStreams.KIND_ENGINE -> engineLine(scanId, codec.parse(required(entry, ScanStreams.LINE)));
                    case ScanStreams.KIND_WORKLOAD ->
                        ended(scanId, required(entry, ScanStreams.OUTCOME), entry.get(ScanStreams.REASON));
                    default -> throw new IllegalArgumentException("unknown kind " + entry.get(ScanStreams.KIND));
                };
                changed.ifPresent(scan -> feed.publish(ScanProgress.of(tenant.value(), scan)));
            } catch (UserErrorException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    private Optional<Scan> engineLine(UUID scanId, ScanEvent event) {
        return switch (event) {
            case ScanEvent.ScanStarted started -> scans.scannerStarted(scanId, started.time());
            case ScanEvent.Progress progress ->
                scans.scannerProgressed(scanId, progress.phase(), progress.requestsSent(), percent(progress));
            case ScanEvent.FindingReported reported -> {
                var recorded = findings.record(scanId, List.of(observed(reported.finding())));
                yield recorded.isEmpty() ? Optional.empty() : scans.find(scanId);
            }
            case ScanEvent.ScanFinished finished -> {
                scans.scannerFinished(scanId, finished.outcome().name(), finished.reason(), finished.requestsSent());
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
                finding.fingerprint().value(),
                finding.ruleId(),
                finding.title(),
                OwaspCategory.valueOf(finding.category().name()),
                finding.cweId() > 0 ? finding.cweId() : null,
                Severity.valueOf(finding.severity().name()),
                switch (finding.confidence()) {
                    case FIRM -> Confidence.MEDIUM;
                    case CONFIRMED -> Confidence.HIGH;
                },
                finding.method(),
                finding.pathTemplate(),
                finding.parameter(),
                request,
                response,
                finding.remediation());
    }

    private static String required(Map<String, String> entry, String field) {
        var value = entry.get(field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the entry has no " + field);
        }
        return value;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
