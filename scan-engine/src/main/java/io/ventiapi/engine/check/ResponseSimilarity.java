package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Whether two responses say the same thing, ignoring what changes on every request (dates, ids in headers).
 * Differential checks (boolean injection, authentication bypass) confirm with this.
 */
public final class ResponseSimilarity {

    /**
     * Top-level fields (compared lower case, without '_' and '-') in which many APIs say whether a request
     * succeeded, whatever the HTTP status: {@code 200 {"code":401,"message":"unauthorized","data":null}}.
     */
    private static final Set<String> OUTCOME_FIELDS = Set.of(
            "code",
            "status",
            "statuscode",
            "resultcode",
            "success",
            "succeeded",
            "successful",
            "ok",
            "error",
            "errors",
            "errorcode",
            "errcode",
            "errno",
            "err",
            "failed",
            "failure");

    /** Top-level fields (normalized) that detail an error rather than carry a payload. */
    private static final Pattern ERROR_DETAIL =
            Pattern.compile(".*(error|err|detail|violation|problem|reason|message|msg|cause|trace|hint).*|errno");

    private static final Pattern REFUSAL_TEXT = Pattern.compile(
            "(?i)\\b(unauthori[sz]ed|forbidden|access denied|permission denied|not authori[sz]ed|not allowed|"
                    + "authentication required|login required|please (log|sign) in|invalid token|token expired)\\b");

    private ResponseSimilarity() {}

    /** Same status and the same body, or bodies whose lengths differ by at most 5%. */
    public static boolean same(ProbeResponse a, ProbeResponse b) {
        if (a.status() != b.status()) {
            return false;
        }
        if (Arrays.equals(a.body(), b.body())) {
            return true;
        }
        int max = Math.max(a.body().length, b.body().length);
        return max > 0 && Math.abs(a.body().length - b.body().length) <= max * 0.05 && sameJsonShape(a, b);
    }

    private static boolean sameJsonShape(ProbeResponse a, ProbeResponse b) {
        var ja = a.json();
        var jb = b.json();
        if (ja.isEmpty() || jb.isEmpty()) {
            return ja.isEmpty() && jb.isEmpty();
        }
        return ja.get().getNodeType() == jb.get().getNodeType()
                && ja.get().size() == jb.get().size();
    }

    /**
     * 2xx and the same kind of body as the reference answer: the same bytes or near, or JSON of the same type
     * whose (first) object has the same property names. Lists that grew meanwhile still count. An answer that
     * says it was refused in its body does not count, however it is shaped: see {@link #refusedAgainst}.
     */
    public static boolean sameKind(ProbeResponse reference, ProbeResponse probe) {
        if (!probe.isSuccess() || refusedAgainst(reference, probe)) {
            return false;
        }
        if (same(reference, probe)) {
            return true;
        }
        var a = reference.json();
        var b = probe.json();
        if (a.isEmpty() || b.isEmpty() || a.get().getNodeType() != b.get().getNodeType()) {
            return false;
        }
        var first = a.get().isArray() && !a.get().isEmpty() ? a.get().get(0) : a.get();
        var second = b.get().isArray() && !b.get().isEmpty() ? b.get().get(0) : b.get();
        return first.isObject() && second.isObject() && first.propertyNames().equals(second.propertyNames());
    }

    /**
     * {@link #sameKind}, and not like the refusal: the answer the same request got with a credential the
     * target cannot have issued. The refusal counts only when it is itself no success like the reference, and
     * only for answers that resemble it more than the reference (a login page served with 200, an error
     * envelope).
     *
     * @param refusal the answer to a surely invalid credential, or null when unknown
     */
    public static boolean sameKind(ProbeResponse reference, ProbeResponse refusal, ProbeResponse probe) {
        return sameKind(reference, probe) && (refusal == null || !resemblesRefusal(reference, refusal, probe));
    }

    private static boolean resemblesRefusal(ProbeResponse reference, ProbeResponse refusal, ProbeResponse probe) {
        return !sameKind(reference, refusal) && same(refusal, probe) && !same(reference, probe);
    }

    /**
     * Whether the probe says what the reference says, value for value: the same status, and the same bytes as one
     * of two answers to the reference's own request or, for JSON, the same value at every position (JSON pointer)
     * where those two agree. Positions where they differ (dates, request ids, items added between them) are not
     * compared. Stricter than {@link #sameKind}: each caller's own profile has the administrator's keys, not the
     * administrator's values.
     *
     * @param before an answer to the reference's request sent just before the probe
     * @param after an answer to the reference's request sent just after the probe
     */
    public static boolean sameContent(ProbeResponse before, ProbeResponse after, ProbeResponse probe) {
        if (probe.status() != before.status()) {
            return false;
        }
        if (Arrays.equals(before.body(), probe.body()) || Arrays.equals(after.body(), probe.body())) {
            return true;
        }
        var a = before.json();
        var b = after.json();
        var p = probe.json();
        if (a.isEmpty() || b.isEmpty() || p.isEmpty()) {
            return false;
        }
        Map<String, JsonNode> first = leaves(a.get());
        Map<String, JsonNode> second = leaves(b.get());
        Map<String, JsonNode> probed = leaves(p.get());
        Set<String> positions = new HashSet<>(first.keySet());
        positions.addAll(probed.keySet());
        for (String position : positions) {
            JsonNode expected = first.get(position);
            boolean stable = expected != null && expected.equals(second.get(position));
            if (stable && !expected.equals(probed.get(position))) {
                return false;
            }
            if (!stable && expected == null && !second.containsKey(position)) {
                return false; // only the probe has it: more than the reference ever showed
            }
        }
        return true;
    }

    /** Scalar values (and empty containers) by JSON pointer. */
    private static Map<String, JsonNode> leaves(JsonNode root) {
        Map<String, JsonNode> leaves = new HashMap<>();
        collectLeaves(root, "", leaves);
        return leaves;
    }

    private static void collectLeaves(JsonNode node, String pointer, Map<String, JsonNode> leaves) {
        if (!isContainer(node) || node.isEmpty()) {
            leaves.put(pointer, node);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectLeaves(node.get(i), pointer + "/" + i, leaves);
            }
        } else {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectLeaves(
                        field.getValue(),
                        pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"),
                        leaves);
            }
        }
    }

    /**
     * Whether the probe's body says the request was refused where the reference's does not: it says failed by
     * itself (an HTTP-range 4xx/5xx code, {@code success: false}, a non-empty error) while the reference does
     * not; a payload (an object or list) of the reference is null, empty or missing here; or it has refusal
     * wording ("unauthorized", "forbidden", "please log in") the reference does not contain. A resource's own
     * numbers and flags ({@code {"succeeded":120,"failed":3}}, a job's {@code "status":"failed"}) that merely
     * differ from the reference's are no refusal.
     */
    public static boolean refusedAgainst(ProbeResponse reference, ProbeResponse probe) {
        if (refusalText(probe) && !refusalText(reference)) {
            return true;
        }
        var a = reference.json().orElse(null);
        var b = probe.json().orElse(null);
        if (a == null || b == null || !a.isObject() || !b.isObject()) {
            return false;
        }
        if (saysFailed(b) && !saysFailed(a)) {
            return true;
        }
        for (Map.Entry<String, JsonNode> field : a.properties()) {
            JsonNode expected = field.getValue();
            JsonNode actual = b.get(field.getKey());
            if (isContainer(expected) && !expected.isEmpty() && (actual == null || actual.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a 2xx answer says by itself that the request was refused: refusal wording in the body, or an
     * outcome field holding a 4xx/5xx code, {@code false} or an error, with no payload (a non-empty object or
     * list other than error details) beside it: a payment whose {@code status} is "failed" or a monitor
     * reporting {@code "code":503} with its checks is content, not a refusal. For the one case with no
     * reference to compare with: an identity's own answer.
     */
    public static boolean saysRefused(ProbeResponse response) {
        if (refusalText(response)) {
            return true;
        }
        return response.json()
                .filter(JsonNode::isObject)
                .map(object -> saysFailed(object) && !hasPayload(object))
                .orElse(false);
    }

    /**
     * An outcome field that says failed: an HTTP-range 4xx/5xx code, a false success flag, a true failure flag or
     * a non-empty error. Failure words in a text status are left to the refusal wording: "failed" is as often
     * the state of the resource itself (a payment, a job).
     */
    private static boolean saysFailed(JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = normalized(field.getKey());
            JsonNode value = field.getValue();
            if (!OUTCOME_FIELDS.contains(name)) {
                continue;
            }
            boolean failed = switch (name) {
                case "success", "succeeded", "successful", "ok" -> value.isBoolean() && !value.asBoolean();
                case "failed", "failure" -> value.isBoolean() && value.asBoolean();
                case "error", "errors", "err" ->
                    (value.isString() && !value.asString().isBlank())
                            || (value.isBoolean() && value.asBoolean())
                            || (isContainer(value) && !value.isEmpty());
                default ->
                    (value.isIntegralNumber() && value.asLong() >= 400 && value.asLong() < 600)
                            || (value.isString() && value.asString().trim().matches("[45]\\d\\d"));
            };
            if (failed) {
                return true;
            }
        }
        return false;
    }

    /** A non-empty object or list in a top-level field other than error details. */
    private static boolean hasPayload(JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (isContainer(value)
                    && !value.isEmpty()
                    && !ERROR_DETAIL.matcher(normalized(field.getKey())).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean refusalText(ProbeResponse response) {
        // Only short bodies: a long page that merely mentions the word is content, not a refusal.
        return response.body().length <= 4_096
                && REFUSAL_TEXT.matcher(response.bodyText()).find();
    }

    private static boolean isContainer(JsonNode node) {
        return node.isObject() || node.isArray();
    }

    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
