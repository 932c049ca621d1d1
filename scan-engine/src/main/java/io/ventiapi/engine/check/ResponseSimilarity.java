package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import java.util.Arrays;

/**
 * Whether two responses say the same thing, ignoring what changes on every request (dates, ids in headers).
 * Differential checks (boolean injection, authentication bypass) confirm with this.
 */
public final class ResponseSimilarity {

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
     * whose (first) object has the same property names. Lists that grew meanwhile still count.
     */
    public static boolean sameKind(ProbeResponse reference, ProbeResponse probe) {
        if (!probe.isSuccess()) {
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
}
