package io.ventiapi.engine.check.access;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.ResponseSimilarity;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.PlannedOperation;
import java.util.List;

/**
 * API5 Broken Function Level Authorization: operations that look privileged (admin paths and tags, admin scopes,
 * DELETE on collections or users, operations marked in the document or configuration) called by an identity
 * declared unprivileged ({@code role=user}) and by no identity. With an administrative identity its answer is
 * the reference and the other answers must match it (confirmed); with only unprivileged identities, the
 * operation answering one of them 2xx twice is reported as firm (as information only when nothing but a path word
 * makes it look privileged: such paths also serve what every user may read). When only a path word makes the
 * operation look privileged, matching means the same values, not only the same keys, since such paths often serve
 * each caller their own data. Only reads and query-like POSTs are probed outside AGGRESSIVE.
 */
public final class FunctionLevelAuthorizationCheck implements Check {

    static final Rule BFLA = new Rule(
            "access.bfla",
            "Privileged operation available to unprivileged callers",
            OwaspCategory.API5,
            285,
            Severity.HIGH,
            "An operation meant for administrators answers an identity declared unprivileged, or a caller without credentials, as it answers an administrator.",
            "Enforce role checks on the server for every privileged operation (deny by default; e.g. @PreAuthorize(\"hasRole('ADMIN')\") on the service), not only by hiding it in the client.");

    @Override
    public List<Rule> rules() {
        return List.of(BFLA);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        PlannedOperation op = baseline.operation();
        boolean readOnly = op.method().equals("GET") || OperationKinds.isQueryLikePost(op);
        if (!context.looksPrivileged(op)
                || !baseline.response().isSuccess()
                || (!readOnly && context.profile() != ScanProfile.AGGRESSIVE)) {
            return;
        }
        IdentitySession reference = baseline.identity();
        if (reference.isPrivileged()) {
            for (IdentitySession low : context.sessions()) {
                if (low.isDeclaredUnprivileged()
                        && context.canCall(low, op)
                        && tryAs(
                                context,
                                baseline,
                                low.credentials(),
                                "identity '" + low.label() + "' (role " + low.role() + ")")) {
                    return;
                }
            }
            tryAs(context, baseline, Credentials.none(), "no credentials at all");
        } else if (reference.isDeclaredUnprivileged()) {
            // No administrator to compare with: the unprivileged identity's own success is the observation.
            ProbeResponse again = context.send(baseline.request(), reference.credentials());
            if (servedItself(context, baseline)
                    && context.servedLike(baseline, again)
                    && !answersEachCallerTheirOwn(context, baseline, again)) {
                boolean pathOnly = context.privilegedByPathOnly(op);
                Finding finding = BFLA.finding(
                        Confidence.FIRM,
                        op.method(),
                        op.pathTemplate(),
                        null,
                        new Evidence(
                                List.of(Redactor.excerpt(baseline.response()), Redactor.excerpt(again)),
                                "The operation looks privileged (" + why(context, op) + ") and answered identity '"
                                        + reference.label() + "', declared with role " + reference.role()
                                        + ", with HTTP " + again.status() + ", twice. No administrative identity was "
                                        + "given to compare with: add one (role=admin) to confirm."
                                        + (pathOnly
                                                ? " Only a word of its path makes it look privileged: it may"
                                                        + " serve what every user may read."
                                                : "")));
                // A path word alone, without an administrator's answer to hold it against, is a lead, not a finding
                // of a flaw: shared content under such a path answers every user alike too.
                context.report(pathOnly ? finding.withSeverity(Severity.INFO) : finding);
            }
        }
    }

    private static boolean tryAs(ScanContext context, Baseline baseline, Credentials credentials, String who) {
        ProbeResponse first = servedLikeAdministrator(context, baseline, credentials);
        if (first == null || servedLikeAdministrator(context, baseline, credentials) == null) {
            return false;
        }
        PlannedOperation op = baseline.operation();
        context.report(BFLA.finding(
                Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                null,
                new Evidence(
                        List.of(Redactor.excerpt(first), Redactor.excerpt(baseline.response())),
                        "The operation looks privileged (" + why(context, op) + "). Sent with " + who
                                + ", it answered HTTP " + first.status() + " twice (first exchange) like it answers "
                                + "the administrative identity '"
                                + baseline.identity().label()
                                + "' (second exchange).")));
        return true;
    }

    /**
     * The answer to these credentials when it is served like the administrator's, or null. When only a path word
     * makes the operation look privileged ({@code /api/internal/whoami}), the answer must also say what the
     * administrator's says, value for value, compared with the administrator's answers just before and after it:
     * the same keys with the caller's own values is the caller's own data, not an administrative function.
     */
    private static ProbeResponse servedLikeAdministrator(
            ScanContext context, Baseline baseline, Credentials credentials) {
        if (!context.privilegedByPathOnly(baseline.operation())) {
            ProbeResponse probe = context.send(baseline.request(), credentials);
            return context.servedLike(baseline, probe) ? probe : null;
        }
        Credentials administrator = baseline.identity().credentials();
        ProbeResponse before = context.send(baseline.request(), administrator);
        ProbeResponse probe = context.send(baseline.request(), credentials);
        if (!context.servedLike(baseline, probe)) {
            return null;
        }
        ProbeResponse after = context.send(baseline.request(), administrator);
        return ResponseSimilarity.sameContent(before, after, probe) ? probe : null;
    }

    /**
     * Without an administrator, for an operation only its path makes look privileged: whether another unprivileged
     * identity is served the same kind of answer with other values (each caller their own data), compared with
     * the reference identity's answers just before and after it.
     */
    private static boolean answersEachCallerTheirOwn(ScanContext context, Baseline baseline, ProbeResponse before) {
        if (!context.privilegedByPathOnly(baseline.operation())) {
            return false;
        }
        for (IdentitySession other : context.sessions()) {
            if (other == baseline.identity()
                    || !other.isDeclaredUnprivileged()
                    || !context.canCall(other, baseline.operation())) {
                continue;
            }
            ProbeResponse theirs = context.send(baseline.request(), other.credentials());
            if (!context.servedLike(baseline, theirs)) {
                continue;
            }
            ProbeResponse after =
                    context.send(baseline.request(), baseline.identity().credentials());
            if (!ResponseSimilarity.sameContent(before, after, theirs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the unprivileged identity's own answer is a success at all: a 200 whose body says "forbidden", or
     * that is what an invalid credential gets too, grants nothing.
     */
    private static boolean servedItself(ScanContext context, Baseline baseline) {
        ProbeResponse own = baseline.response();
        return !ResponseSimilarity.saysRefused(own)
                && context.refusal(baseline)
                        .map(refused -> !ResponseSimilarity.same(refused, own))
                        .orElse(true);
    }

    private static String why(ScanContext context, PlannedOperation op) {
        if (!op.tags().isEmpty()) {
            return "path " + op.pathTemplate() + ", tags " + op.tags();
        }
        return "path " + op.pathTemplate();
    }
}
