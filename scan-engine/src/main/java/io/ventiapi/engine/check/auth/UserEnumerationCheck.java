package io.ventiapi.engine.check.auth;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API2 user enumeration: login and password-reset operations that answer differently for a user that exists (one
 * of the scan's identities) and for made-up ones. Two made-up names must get the same answer (after replacing the
 * name itself), the real one a different status or body, twice. When the answers are alike, response times are
 * compared: eight interleaved samples each, and every real-user time above every made-up one (exact
 * Mann-Whitney test, p ≈ 0.0002) by a clear margin. Lockouts (423, 429) make a comparison inconclusive.
 * Registration is not probed: it would create accounts.
 */
public final class UserEnumerationCheck implements Check {

    static final Rule ENUMERATION = new Rule(
            "auth.user-enumeration",
            "User names can be enumerated",
            OwaspCategory.API2,
            204,
            Severity.MEDIUM,
            "The operation answers differently for an existing user name and an unknown one, so anyone can find out which accounts exist and target them.",
            "Answer identically (status, body and timing) whether or not the account exists, e.g. \"if the account exists, we sent a link\", and hash a dummy password for unknown users.");

    private static final int TIMING_SAMPLES = 8;
    private static final long TIMING_MARGIN_MILLIS = 50;
    private static final Pattern PASSWORD_FIELD = Pattern.compile("(?i)^(pass|password|passwd|pwd|secret)$");

    @Override
    public List<Rule> rules() {
        return List.of(ENUMERATION);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        PlannedOperation op = baseline.operation();
        if (!(OperationKinds.isLogin(op) || OperationKinds.isPasswordReset(op))
                || OperationKinds.isRegistration(op)
                || !(baseline.request().body() instanceof Map<?, ?> body)) {
            return;
        }
        String userField = body.keySet().stream()
                .map(String::valueOf)
                .filter(k -> SessionLifecycleCheck.USER_FIELD.matcher(k).matches())
                .findFirst()
                .orElse(null);
        String known = userField == null ? null : knownUser(context, userField);
        if (known == null) {
            return;
        }
        String passwordField = body.keySet().stream()
                .map(String::valueOf)
                .filter(k -> PASSWORD_FIELD.matcher(k).matches())
                .findFirst()
                .orElse(null);
        Probe probe = new Probe(context, baseline.request(), userField, passwordField, known.contains("@"));
        ProbeResponse unknown1 = probe.send(probe.madeUp());
        ProbeResponse real = probe.send(known);
        ProbeResponse unknown2 = probe.send(probe.madeUp());
        if (inconclusive(unknown1) || inconclusive(real) || inconclusive(unknown2)) {
            return;
        }
        boolean unknownAlike = unknown1.status() == unknown2.status()
                && probe.normalized(unknown1).equals(probe.normalized(unknown2));
        if (!unknownAlike) {
            return;
        }
        if (differs(probe, real, unknown1)) {
            ProbeResponse realAgain = probe.send(known);
            ProbeResponse unknown3 = probe.send(probe.madeUp());
            if (!inconclusive(realAgain) && differs(probe, realAgain, unknown3)) {
                report(
                        context,
                        op,
                        userField,
                        real,
                        unknown1,
                        "The answer for the existing user '" + known
                                + "' (HTTP " + real.status()
                                + ", first exchange) differs from the answer for made-up names (HTTP "
                                + unknown1.status()
                                + ", second exchange), which agree with each other; repeated with the same result.");
            }
            return;
        }
        if (!OperationKinds.isLogin(op)) {
            timing(context, op, userField, probe, known);
        }
    }

    private static void timing(ScanContext context, PlannedOperation op, String userField, Probe probe, String known) {
        List<Long> real = new ArrayList<>();
        List<Long> madeUp = new ArrayList<>();
        ProbeResponse lastReal = null;
        ProbeResponse lastMadeUp = null;
        for (int i = 0; i < TIMING_SAMPLES; i++) {
            lastReal = probe.send(known);
            lastMadeUp = probe.send(probe.madeUp());
            real.add(lastReal.elapsed().toMillis());
            madeUp.add(lastMadeUp.elapsed().toMillis());
        }
        long fastestReal = real.stream().mapToLong(Long::longValue).min().orElse(0);
        long slowestMadeUp = madeUp.stream().mapToLong(Long::longValue).max().orElse(0);
        if (fastestReal > slowestMadeUp + TIMING_MARGIN_MILLIS) {
            report(
                    context,
                    op,
                    userField,
                    lastReal,
                    lastMadeUp,
                    "The answers look alike, but every one of "
                            + TIMING_SAMPLES + " requests for the existing user '" + known + "' " + real
                            + " ms took longer than every one of " + TIMING_SAMPLES + " for made-up names " + madeUp
                            + " ms (interleaved; exact Mann-Whitney U = 0, p ≈ 0.0002).");
        }
    }

    private static void report(
            ScanContext context,
            PlannedOperation op,
            String userField,
            ProbeResponse real,
            ProbeResponse madeUp,
            String explanation) {
        context.report(ENUMERATION.finding(
                Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                "body:" + userField,
                new Evidence(List.of(Redactor.excerpt(real), Redactor.excerpt(madeUp)), explanation)));
    }

    private static boolean inconclusive(ProbeResponse response) {
        return response.status() == 423 || response.status() == 429 || response.status() >= 500;
    }

    private static boolean differs(Probe probe, ProbeResponse real, ProbeResponse madeUp) {
        return real.status() != madeUp.status() || !probe.normalized(real).equals(probe.normalized(madeUp));
    }

    /** The login name of one of the scan's identities, which therefore exists. */
    private static String knownUser(ScanContext context, String userField) {
        return context.sessions().stream()
                .map(IdentitySession::userName)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElse(null);
    }

    /** Sends the operation with a given user name (and a wrong password), without credentials. */
    private record Probe(
            ScanContext context, SynthesizedRequest request, String userField, String passwordField, boolean email) {

        String madeUp() {
            String name = "venti" + UUID.randomUUID().toString().substring(0, 10);
            return email ? name + "@example.invalid" : name;
        }

        ProbeResponse send(String user) {
            SynthesizedRequest probe = request.with(ParameterLocation.BODY, userField, user);
            if (passwordField != null) {
                probe = probe.with(ParameterLocation.BODY, passwordField, "venti-wrong-password");
            }
            return context.send(probe, Credentials.none());
        }

        /** The body with the submitted name removed, so an echo of the name is not a difference. */
        String normalized(ProbeResponse response) {
            String sent = response.request().body() == null
                    ? ""
                    : new String(response.request().body());
            String body = response.bodyText();
            int start = sent.indexOf("\"" + userField + "\"");
            if (start >= 0) {
                int colon = sent.indexOf(':', start);
                int open = sent.indexOf('"', colon + 1);
                int close = sent.indexOf('"', open + 1);
                if (open > 0 && close > open) {
                    body = body.replace(sent.substring(open + 1, close), "{user}");
                }
            }
            return body;
        }
    }
}
