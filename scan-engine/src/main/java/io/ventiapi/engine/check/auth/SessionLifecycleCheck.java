package io.ventiapi.engine.check.auth;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.HarvestedValues;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API2 around sessions: tokens that still work after a logout (tested on a second login of a login-flow
 * identity, so the scan's own session stays valid), and, as information, a login operation that does not throttle
 * a client's repeated failures (tested with a user name that does not exist, so no real account is locked, and
 * so a per-account lockout cannot be seen).
 */
public final class SessionLifecycleCheck implements Check {

    static final Rule AFTER_LOGOUT = new Rule(
            "auth.token-after-logout",
            "Token still accepted after logout",
            OwaspCategory.API2,
            613,
            Severity.MEDIUM,
            "After the logout operation answered success, the same token was still accepted: a stolen or leaked token cannot be ended by the user.",
            "Revoke the token (or its session) on logout on the server side, e.g. a deny-list of token ids until they expire, and keep token lifetimes short.");
    /**
     * Informational: the burst uses a user name that does not exist, so it shows whether the client is throttled
     * but cannot show a per-account lockout (trying that would lock a real account).
     */
    static final Rule NO_THROTTLING = new Rule(
            "auth.no-login-throttling",
            "Failed logins not throttled per client",
            OwaspCategory.API2,
            307,
            Severity.INFO,
            "The login operation answered a burst of failed logins from one client, for a user name that does not exist, without slowing down or refusing. Whether existing accounts are locked after failed logins was not tested: it would lock a real account.",
            "Throttle failed logins per client and per account (429 with Retry-After, growing delays or a temporary lock), and alert on bursts.");

    static final int LOGIN_ATTEMPTS = 12;
    static final Pattern USER_FIELD = Pattern.compile("(?i)^(user_?name|username|user|login|email|e-mail|mail)$");
    private static final Pattern PASSWORD_FIELD = Pattern.compile("(?i)^(pass|password|passwd|pwd|secret)$");
    private static final Pattern THROTTLED_TEXT =
            Pattern.compile("(?i)(too many|locked|try again|rate limit|slow down|captcha)");

    @Override
    public List<Rule> rules() {
        return List.of(AFTER_LOGOUT, NO_THROTTLING);
    }

    @Override
    public void checkTarget(ScanContext context) {
        tokenAfterLogout(context);
        loginThrottling(context);
    }

    private static void tokenAfterLogout(ScanContext context) {
        Optional<PlannedOperation> logout = context.plan().operations().stream()
                .filter(OperationKinds::endsSession)
                .filter(op -> op.pathParameters().isEmpty())
                .findFirst();
        if (logout.isEmpty()) {
            return;
        }
        for (IdentitySession session : context.sessions()) {
            if (!(session.identity() instanceof Identity.LoginFlow) || !context.canCall(session, logout.get())) {
                continue;
            }
            Optional<Baseline> reference = context.baselines().stream()
                    .filter(b -> b.identity() == session
                            && b.operation().method().equals("GET")
                            && b.response().isSuccess()
                            && context.requiresAuthentication(b))
                    .min(Comparator.comparing((Baseline b) -> b.operation().pathTemplate()));
            if (reference.isEmpty()) {
                continue;
            }
            Credentials second;
            try {
                second = session.fresh().credentials();
            } catch (io.ventiapi.engine.identity.AuthenticationFailedException e) {
                continue; // e.g. locked by other probes' failed logins: nothing to test with
            }
            ProbeResponse before = context.send(reference.get().request(), second);
            if (!context.servedLike(reference.get(), before)) {
                continue;
            }
            var logoutRequest = context.synthesizer().synthesize(logout.get(), new HarvestedValues());
            ProbeResponse loggedOut = context.send(logoutRequest, second);
            if (!loggedOut.isSuccess()) {
                continue;
            }
            ProbeResponse after = context.send(reference.get().request(), second);
            ProbeResponse again = context.send(reference.get().request(), second);
            if (context.servedLike(reference.get(), after) && context.servedLike(reference.get(), again)) {
                context.report(AFTER_LOGOUT.finding(
                        Confidence.CONFIRMED,
                        logout.get().method(),
                        logout.get().pathTemplate(),
                        null,
                        new Evidence(
                                List.of(Redactor.excerpt(loggedOut), Redactor.excerpt(after)),
                                "A second login of identity '" + session.label() + "' got a new token; "
                                        + logout.get().method() + " "
                                        + logout.get().pathTemplate()
                                        + " with it answered HTTP " + loggedOut.status() + " (first exchange), and "
                                        + reference.get().operation().method() + " "
                                        + reference.get().operation().pathTemplate()
                                        + " with the same token was still answered HTTP " + after.status()
                                        + ", twice (second exchange).")));
            }
            return;
        }
    }

    private static void loginThrottling(ScanContext context) {
        Optional<Baseline> login = context.baselines().stream()
                .filter(b ->
                        OperationKinds.isLogin(b.operation()) && b.request().body() instanceof Map<?, ?>)
                .min(Comparator.comparing((Baseline b) -> b.operation().pathTemplate()));
        if (login.isEmpty()) {
            return;
        }
        Map<?, ?> body = (Map<?, ?>) login.get().request().body();
        String userField = field(body, USER_FIELD);
        String passwordField = field(body, PASSWORD_FIELD);
        if (userField == null || passwordField == null) {
            return;
        }
        String user = "venti-" + UUID.randomUUID().toString().substring(0, 10);
        if (String.valueOf(body.get(userField)).contains("@")) {
            user += "@example.invalid";
        }
        var request = login.get().request().with(io.ventiapi.engine.plan.ParameterLocation.BODY, userField, user);
        ProbeResponse first = null;
        ProbeResponse last = null;
        long firstMillis = 0;
        long lastMillis = 0;
        for (int i = 0; i < LOGIN_ATTEMPTS; i++) {
            var attempt = request.with(
                    io.ventiapi.engine.plan.ParameterLocation.BODY,
                    passwordField,
                    "wrong-" + UUID.randomUUID().toString().substring(0, 8));
            ProbeRequest wire = context.probe(attempt, Credentials.none());
            ProbeResponse response = context.target().sendOnce(wire);
            if (response.isSuccess()
                    || response.status() == 429
                    || response.status() == 423
                    || response.status() >= 500
                    || response.header("retry-after").isPresent()
                    || THROTTLED_TEXT.matcher(response.bodyText()).find()
                    || (first != null && response.status() != first.status())) {
                return; // throttled, locked, or not a plain failure: nothing to report
            }
            if (i < 3) {
                firstMillis += response.elapsed().toMillis();
            } else if (i >= LOGIN_ATTEMPTS - 3) {
                lastMillis += response.elapsed().toMillis();
            }
            first = first == null ? response : first;
            last = response;
        }
        if (lastMillis > 3 * firstMillis + 600) {
            return; // growing delays are throttling too
        }
        PlannedOperation op = login.get().operation();
        context.report(NO_THROTTLING.finding(
                Confidence.FIRM,
                op.method(),
                op.pathTemplate(),
                null,
                new Evidence(
                        List.of(Redactor.excerpt(first), Redactor.excerpt(last)),
                        LOGIN_ATTEMPTS + " failed logins in a row for the made-up user name " + user
                                + " were each answered HTTP " + first.status()
                                + " without delay, 429 or Retry-After (first and last exchange): this client was"
                                + " not throttled. A lockout of existing accounts was not tested and may exist.")));
    }

    private static String field(Map<?, ?> body, Pattern name) {
        return body.keySet().stream()
                .map(String::valueOf)
                .filter(k -> name.matcher(k).matches())
                .findFirst()
                .orElse(null);
    }
}
