package io.ventiapi.protocol;

import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job message on {@code venti:scan-jobs}: a {@code job} field holding JSON (documented in
 * docs/runner/protocol.md) and a {@code tenantConcurrency} field, the tenant's plan cap at the
 * time the scan was queued.
 */
public final class ScanJobCodec {

    public static final String JOB = "job";
    public static final String TENANT_CONCURRENCY = "tenantConcurrency";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ScanJobCodec() {}

    /** The message for a job; its identities are sealed with {@code seal}. */
    public static Map<String, String> encode(ScanJob job, int tenantConcurrency, JobSeal seal) {
        return encode(job, List.of(job.kind()), tenantConcurrency, seal);
    }

    /**
     * The message for a scan that runs several scanners, one after the other, in the order given;
     * {@code job} describes the scan (its kind is the first of {@code kinds}).
     */
    public static Map<String, String> encode(
            ScanJob job, List<ScannerKind> kinds, int tenantConcurrency, JobSeal seal) {
        if (kinds.isEmpty() || kinds.getFirst() != job.kind()) {
            throw new IllegalArgumentException("the job's kind must be the first of " + kinds);
        }
        var node = new LinkedHashMap<String, Object>();
        node.put("scanId", job.scanId());
        node.put("tenant", job.tenant().value());
        node.put("kind", job.kind().name());
        node.put("kinds", kinds.stream().map(ScannerKind::name).toList());
        node.put("image", job.image());
        node.put("target", job.target().toString());
        node.put("profile", job.profile());
        node.put("requestsPerSecond", job.requestsPerSecond());
        node.put("requestBudget", job.requestBudget());
        node.put("timeBoxSeconds", job.timeBox().toSeconds());
        node.put("spec", job.specDocument());
        node.put(
                "sealedIdentities",
                seal.seal(
                        job.scanId(),
                        job.tenant().value(),
                        destination(
                                job.target().toString(), job.image(), job.kind().name(), kindNames(kinds)),
                        job.identities()));
        node.put("traceparent", job.traceparent());
        return Map.of(JOB, JSON.writeValueAsString(node), TENANT_CONCURRENCY, Integer.toString(tenantConcurrency));
    }

    /** A job message read: the job, and the scanners it runs in turn (the job's kind is the first). */
    public record Message(ScanJob job, List<ScannerKind> kinds) {}

    /** Reads a job; throws {@link IllegalArgumentException} naming what is wrong with a malformed one. */
    public static ScanJob decode(Map<String, String> fields, JobSeal seal) {
        return decodeMessage(fields, seal).job();
    }

    /**
     * Reads a job and its scanners; a message that names no {@code kinds} (written before scans could run
     * several) runs the job's kind alone. Throws {@link IllegalArgumentException} naming what is wrong.
     */
    public static Message decodeMessage(Map<String, String> fields, JobSeal seal) {
        var text = fields.get(JOB);
        if (text == null) {
            throw new IllegalArgumentException("the message has no 'job' field");
        }
        try {
            JsonNode node = JSON.readTree(text);
            var scanId = required(node, "scanId");
            var tenant = TenantId.of(required(node, "tenant"));
            var kindNames = new ArrayList<String>();
            for (var kind : node.path("kinds")) {
                kindNames.add(kind.asString());
            }
            var identities = seal.open(
                    scanId,
                    tenant.value(),
                    destination(required(node, "target"), optional(node, "image"), required(node, "kind"), kindNames),
                    required(node, "sealedIdentities"));
            var job = new ScanJob(
                    scanId,
                    tenant,
                    ScannerKind.valueOf(required(node, "kind")),
                    optional(node, "image"),
                    URI.create(required(node, "target")),
                    optional(node, "profile"),
                    node.path("requestsPerSecond").asInt(10),
                    node.path("requestBudget").asInt(10_000),
                    Duration.ofSeconds(node.path("timeBoxSeconds").asLong(1800)),
                    required(node, "spec"),
                    identities,
                    optional(node, "traceparent"));
            var kinds = kindNames.stream().map(ScannerKind::valueOf).toList();
            return new Message(job, kinds.isEmpty() ? List.of(job.kind()) : kinds);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed scan job: " + e.getMessage(), e);
        }
    }

    /**
     * The scan and tenant of a message, if they can be read even though the rest cannot: a runner
     * tells the platform why such a scan failed instead of dropping it silently.
     */
    public static java.util.Optional<Map.Entry<String, TenantId>> scanOf(Map<String, String> fields) {
        try {
            JsonNode node = JSON.readTree(fields.getOrDefault(JOB, ""));
            return java.util.Optional.of(Map.entry(required(node, "scanId"), TenantId.of(required(node, "tenant"))));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    public static int tenantConcurrency(Map<String, String> fields, int fallback) {
        try {
            return Math.max(1, Integer.parseInt(fields.getOrDefault(TENANT_CONCURRENCY, "")));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Where a job sends its credentials, as its seal is bound to it: target, scanners, image. */
    private static String destination(String target, String image, String kind, List<String> kinds) {
        var all = new LinkedHashMap<String, Object>();
        all.put("target", target);
        all.put("image", image);
        all.put("kind", kind);
        all.put("kinds", kinds);
        return JSON.writeValueAsString(all);
    }

    private static List<String> kindNames(List<ScannerKind> kinds) {
        return kinds.stream().map(ScannerKind::name).toList();
    }

    private static String required(JsonNode node, String field) {
        var value = optional(node, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }

    private static String optional(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
