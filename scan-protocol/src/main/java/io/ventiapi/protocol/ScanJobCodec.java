package io.ventiapi.protocol;

import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    public static Map<String, String> encode(ScanJob job, int tenantConcurrency) {
        var node = new LinkedHashMap<String, Object>();
        node.put("scanId", job.scanId());
        node.put("tenant", job.tenant().value());
        node.put("kind", job.kind().name());
        node.put("image", job.image());
        node.put("target", job.target().toString());
        node.put("profile", job.profile());
        node.put("requestsPerSecond", job.requestsPerSecond());
        node.put("requestBudget", job.requestBudget());
        node.put("timeBoxSeconds", job.timeBox().toSeconds());
        node.put("spec", job.specDocument());
        node.put("identities", job.identities());
        node.put("traceparent", job.traceparent());
        return Map.of(JOB, JSON.writeValueAsString(node), TENANT_CONCURRENCY, Integer.toString(tenantConcurrency));
    }

    /** Reads a job; throws {@link IllegalArgumentException} naming what is wrong with a malformed one. */
    public static ScanJob decode(Map<String, String> fields) {
        var text = fields.get(JOB);
        if (text == null) {
            throw new IllegalArgumentException("the message has no 'job' field");
        }
        try {
            JsonNode node = JSON.readTree(text);
            var identities = new ArrayList<String>();
            node.path("identities").forEach(identity -> identities.add(identity.asString()));
            return new ScanJob(
                    required(node, "scanId"),
                    TenantId.of(required(node, "tenant")),
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
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed scan job: " + e.getMessage(), e);
        }
    }

    public static int tenantConcurrency(Map<String, String> fields, int fallback) {
        try {
            return Math.max(1, Integer.parseInt(fields.getOrDefault(TENANT_CONCURRENCY, "")));
        } catch (NumberFormatException e) {
            return fallback;
        }
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
