package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import java.util.Arrays;
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

    private static final Set<String> FAILED_STATUS_WORDS = Set.of(
            "error", "fail", "failed", "failure", "unauthorized", "unauthorised", "forbidden", "denied", "invalid");

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
     * Whether the probe's body says the request was refused where the reference's does not: an outcome field
     * ({@code code}, {@code status}, {@code success}, {@code ok}, {@code error}, …) with another number, flag
     * or null than in the reference, or that looks failed on its own; a payload (an object or list) of the reference
     * that is null, empty or missing here; or refusal wording ("unauthorized", "forbidden", "please log in")
     * the reference does not contain.
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
            // Numbers and flags only: a text field named status or code is as often the object's
            // own (an order's "shipped", a product's code), and failure words are caught above.
            if (OUTCOME_FIELDS.contains(normalized(field.getKey()))
                    && (expected.isNumber() || expected.isBoolean() || expected.isNull())
                    && !expected.equals(actual)) {
                return true;
            }
            if (isContainer(expected) && !expected.isEmpty() && (actual == null || actual.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a 2xx answer says by itself that the request was refused: an outcome field holding a 4xx/5xx code,
     * {@code false}, a failure word or an error message, or refusal wording in the body. For the one case with
     * no reference to compare with: an identity's own answer.
     */
    public static boolean saysRefused(ProbeResponse response) {
        if (refusalText(response)) {
            return true;
        }
        return response.json()
                .filter(JsonNode::isObject)
                .map(ResponseSimilarity::saysFailed)
                .orElse(false);
    }

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
                            || (value.isString()
                                    && (FAILED_STATUS_WORDS.contains(
                                                    value.asString().trim().toLowerCase(Locale.ROOT))
                                            || value.asString().trim().matches("[45]\\d\\d")));
            };
            if (failed) {
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
