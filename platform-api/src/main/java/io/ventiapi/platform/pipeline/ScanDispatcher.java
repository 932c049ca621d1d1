package io.ventiapi.platform.pipeline;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.ScanStatus;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.platform.tenant.TenantStatus;
import io.ventiapi.protocol.JobSeal;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScanJobCodec;
import io.ventiapi.protocol.ScanStreams;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.tenancy.Tenancy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns the scan outbox's messages into what the runners read: a {@code scan.requested} of a scan
 * still queued becomes a job on {@link ScanStreams#JOBS} carrying everything the scanner needs (the
 * document, the identities' engine arguments sealed with the job key, the project's limits as they
 * are now, the tenant's concurrency cap), or fails the scan, and stops any workload of it, if it
 * cannot run as its project and tenant are now; a {@code scan.cancelled} adds the scan to {@link
 * ScanStreams#CANCELLED} and announces it. Runs with the message's tenant bound, as the system
 * actor.
 */
class ScanDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ScanDispatcher.class);

    private final ScanService scans;
    private final ProjectService projects;
    private final SpecService specs;
    private final TenantService tenants;
    private final RedissonClient redis;
    private final PipelineProperties properties;
    private final ScanProgressFeed feed;
    private final JobSeal seal;
    private final OutboundUrlPolicy outbound;

    ScanDispatcher(
            ScanService scans,
            ProjectService projects,
            SpecService specs,
            TenantService tenants,
            RedissonClient redis,
            PipelineProperties properties,
            ScanProgressFeed feed,
            JobSeal seal,
            OutboundUrlPolicy outbound) {
        this.scans = scans;
        this.projects = projects;
        this.specs = specs;
        this.tenants = tenants;
        this.redis = redis;
        this.properties = properties;
        this.feed = feed;
        this.seal = seal;
        this.outbound = outbound;
    }

    /** Publishes one outbox message; throws if Redis did not take it (the message stays unpublished). */
    void dispatch(String topic, JsonNode payload) {
        switch (topic) {
            case ScanService.SCAN_REQUESTED -> requested(payload);
            case ScanService.SCAN_CANCELLED -> cancelled(payload.path("scanId").asString());
            default -> log.warn("Outbox message with unknown topic {} skipped", topic);
        }
    }

    private void requested(JsonNode payload) {
        var scanId = UUID.fromString(payload.path("scanId").asString());
        var scan = scans.find(scanId);
        if (scan.isEmpty() || scan.get().getStatus() != ScanStatus.QUEUED) {
            // Ended (cancelled before it was dispatched), or started: a started scan's message comes
            // again when the batch that published it failed to commit. A runner has its job, and
            // the scan runs on as it was dispatched, like one dispatched just before its project
            // changed; failed here, it would read FAILED while its workload went on.
            return;
        }
        Optional<Dispatched> job;
        try {
            // The project first, before anything fails the scan: its row is locked after its
            // project's (ADR 14), also across the scans of one relay batch.
            var projectId = UUID.fromString(payload.path("projectId").asString());
            var project = projects.findHeld(projectId).orElseThrow(() -> new Undispatchable("its project is gone"));
            job = Optional.of(job(scanId, project, payload));
        } catch (Undispatchable e) {
            // The scan cannot run as configured: say why on the scan rather than retry forever.
            fail(scanId, e.getMessage());
            job = Optional.empty();
        } catch (ProjectService.SecretNeeded e) {
            fail(scanId, "its project's " + e.getMessage());
            job = Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Not one of the reasons above (a payload or a secret that does not parse, say): its
            // text is for the operator, not for every reader of the scan and its audit events.
            log.warn("Scan {} could not be dispatched", scanId, e);
            fail(scanId, "its job could not be prepared; the platform's log has the details");
            job = Optional.empty();
        }
        job.ifPresent(ready -> publish(
                scanId,
                ScanJobCodec.encode(
                        ready.job(), ready.kinds(), tenants.current().getPlan().concurrentScans(), seal)));
    }

    /**
     * Adds a job (ARGV[2] on: its fields and values) and its marker for {@link LostJobs} (ARGV[1]:
     * seconds it lasts) in one step, so that Redis keeps both or neither.
     */
    private static final String PUBLISH = """
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
            return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
            """;

    private void publish(UUID scanId, Map<String, String> fields) {
        var args = new ArrayList<Object>(1 + 2 * fields.size());
        args.add(String.valueOf(LostJobs.MARKER_LIFETIME.toSeconds()));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        redis.getScript(StringCodec.INSTANCE)
                .eval(
                        ScanStreams.JOBS,
                        RScript.Mode.READ_WRITE,
                        PUBLISH,
                        RScript.ReturnType.VALUE,
                        List.of(ScanStreams.JOBS, LostJobs.marker(scanId.toString())),
                        args.toArray());
    }

    private void fail(UUID scanId, String why) {
        scans.dispatchFailed(scanId, "the scan could not be dispatched: " + why)
                .ifPresent(
                        ended -> feed.publish(ScanProgress.of(Tenancy.current().value(), ended)));
    }

    /** Why a scan cannot run as its project is configured, in words for the project's readers. */
    private static final class Undispatchable extends RuntimeException {
        Undispatchable(String reason) {
            super(reason, null, false, false);
        }
    }

    private Dispatched job(UUID scanId, Project project, JsonNode payload) {
        var specVersionId = UUID.fromString(payload.path("specVersionId").asString());
        var document = specs.document(specVersionId)
                .orElseThrow(() -> new Undispatchable("its spec version " + specVersionId + " has no document"));
        var kinds = kinds(payload);
        var imageNode = payload.path("customScannerImage");
        var image = imageNode.isNull() || imageNode.isMissingNode() ? null : imageNode.asString();
        if (kinds.contains(ScannerKind.CUSTOM) && (image == null || image.isBlank())) {
            throw new Undispatchable("its project's custom scanner has no image");
        }
        var target = URI.create(payload.path("targetUrl").asString());
        if (project.isArchived()) {
            throw new Undispatchable("its project was archived");
        }
        if (tenants.current().getStatus() != TenantStatus.ACTIVE) {
            throw new Undispatchable("its tenant is suspended");
        }
        // The identities' secrets are read now, as the project has them now: if its target moved to
        // another host since the scan was queued, they were entered for that host, not this one;
        // if another custom image runs now, they were entered for that one.
        if (ProjectService.movedAway(URI.create(project.getTargetUrl()), target)) {
            throw new Undispatchable(
                    "its project's target moved to another host or port, or from https, after the scan was queued");
        }
        if (kinds.contains(ScannerKind.CUSTOM)
                && !(project.getScannerKinds().contains("custom") && image.equals(project.getCustomScannerImage()))) {
            throw new Undispatchable("its project's custom scanner changed after the scan was queued");
        }
        if (kinds.contains(ScannerKind.CUSTOM)) {
            // The operator's registries may have changed since the project was saved.
            try {
                outbound.checkImage(image, "customScannerImage");
            } catch (UserErrorException e) {
                throw new Undispatchable(
                        "its custom scanner's image: " + e.error().message());
            }
        }
        var job = new ScanJob(
                scanId.toString(),
                Tenancy.current(),
                kinds.getFirst(),
                image,
                target,
                payload.path("profile").asString(),
                // As the project has them now, not when the scan was queued: a rate limit lowered
                // meanwhile (its target's owner asked for less) is the one the target gets.
                project.getRateLimit(),
                project.getRequestBudget(),
                properties.scanTimeBox(),
                document,
                EngineIdentities.arguments(projects.scanCredentials(project.getId())),
                null);
        return new Dispatched(job, kinds);
    }

    /** The project's scanners when the scan was started, in the order they run: [venti] if none. */
    private static List<ScannerKind> kinds(JsonNode payload) {
        var kinds = new ArrayList<ScannerKind>();
        for (var kind : payload.path("scannerKinds")) {
            try {
                kinds.add(ScannerKind.valueOf(kind.asString().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new Undispatchable("its project names an unknown scanner kind: " + kind.asString());
            }
        }
        return kinds.isEmpty() ? List.of(ScannerKind.VENTI) : kinds;
    }

    private record Dispatched(ScanJob job, List<ScannerKind> kinds) {}

    private void cancelled(String scanId) {
        var cancelled = redis.<String>getSet(ScanStreams.CANCELLED, StringCodec.INSTANCE);
        cancelled.add(scanId);
        cancelled.expire(Duration.ofDays(1));
        redis.getTopic(ScanStreams.CANCEL_TOPIC, StringCodec.INSTANCE).publish(scanId);
        // Its subscribers learn it now: the runner's report of the cancel finds the scan ended
        // already and announces nothing, and a queued scan has no runner to report it.
        scans.find(UUID.fromString(scanId))
                .ifPresent(
                        scan -> feed.publish(ScanProgress.of(Tenancy.current().value(), scan)));
    }
}
