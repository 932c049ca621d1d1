package io.ventiapi.engine.check.access;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.JsonValues;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.AuthenticationFailedException;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API1/API2: one user setting another user's password through the other user's id in the path
 * ({@code PUT /users/{name}/password}). Needs two login-flow identities of one role, A and B, the scan knows the
 * passwords of, neither an administrator (who may reset anyone's password): A sets B's password to a fresh one,
 * and the finding is confirmed only when B can then log in with it. Every account whose password the probe changed
 * (B's, or A's own when the API changes the caller's password whatever the path says) gets its password back at
 * once, set by its owner. Not in SAFE. Password changes are sent by nothing else in the scan
 * ({@link OperationKinds#isPasswordChange}).
 */
public final class OtherUserPasswordCheck implements Check {

    static final Rule OTHER_USER_PASSWORD = new Rule(
            "access.other-user-password",
            "Another user's password can be changed",
            OwaspCategory.API1,
            620,
            Severity.CRITICAL,
            "A user set another user's password by putting the other user's id in the request, and could then log in as that user: any account can be taken over.",
            "Change a password only for the caller's own account (take the account from the token, not from the path), require the current password, and let administrators reset passwords only through a separate, audited operation.");

    private static final Pattern PASSWORD_FIELD =
            Pattern.compile("(?i)^(new_?)?(password|passwd|pwd|passphrase)$|^new_?pass(word)?$");
    /** A users collection, perhaps followed by a version segment ({@code /users/v1/{name}}), then the user's id. */
    private static final Pattern USER_PARAMETER =
            Pattern.compile("(?i)/(?:users?|accounts?|members?|profiles?|customers?)(?:/v\\d+)?/\\{([^}]+)}");

    @Override
    public List<Rule> rules() {
        return List.of(OTHER_USER_PASSWORD);
    }

    /** After the other checks: they log in and out, and a password change must not race them. */
    @Override
    public void afterOtherChecks(ScanContext context) {
        if (context.profile() == ScanProfile.SAFE) {
            return;
        }
        for (PlannedOperation op : context.plan().operations()) {
            if (OperationKinds.isPasswordChange(op) && userParameter(op) != null) {
                test(context, op);
            }
        }
    }

    private static void test(ScanContext context, PlannedOperation op) {
        String parameter = userParameter(op);
        if (parameter == null) {
            return;
        }
        SynthesizedRequest template = context.synthesizer().synthesize(op, new HarvestedValues());
        if (!(template.body() instanceof Map<?, ?> body)) {
            return;
        }
        String field = body.keySet().stream()
                .map(String::valueOf)
                .filter(name -> PASSWORD_FIELD.matcher(name).matches())
                .findFirst()
                .orElse(null);
        if (field == null) {
            return;
        }
        List<ProbeResponse> seen = new ArrayList<>();
        context.baselines().forEach(b -> seen.add(b.response()));
        List<IdentitySession> accounts = context.sessions().stream()
                .filter(s -> s.identity() instanceof Identity.LoginFlow
                        && s.userName().isPresent()
                        && password(s).isPresent()
                        && context.canCall(s, op))
                .toList();
        // Two users of one role, never an administrator, who may reset anyone's password, whatever the order the
        // identities were given in.
        for (IdentitySession attacker : accounts) {
            List<IdentitySession> victims = SameRolePeers.peersOf(context, attacker, op).stream()
                    .filter(victim ->
                            accounts.contains(victim) && !victim.userName().equals(attacker.userName()))
                    .toList();
            if (attacker.isPrivileged() || victims.isEmpty()) {
                continue;
            }
            for (IdentitySession victim : victims) {
                String victimName = victim.userName().get();
                // The victim's id: the user name itself when the path names users by it, else the listed id.
                String victimId = JsonValues.idOfObjectWith(seen, victimName).orElse(victimName);
                if (tryChange(context, op, template, parameter, field, attacker, victim, victimId)) {
                    return;
                }
            }
            return; // one attacker is enough: every other pair would only repeat the same requests
        }
    }

    private static boolean tryChange(
            ScanContext context,
            PlannedOperation op,
            SynthesizedRequest template,
            String parameter,
            String field,
            IdentitySession attacker,
            IdentitySession victim,
            String victimId) {
        if (logsInWith(context, victim, "Venti-wrong-" + UUID.randomUUID())) {
            return false; // the login accepts any password (or sets a cookie regardless): no way to tell
        }
        String chosen = "Venti-" + UUID.randomUUID().toString().substring(0, 12) + "-9a!";
        SynthesizedRequest change =
                template.with(ParameterLocation.PATH, parameter, victimId).with(ParameterLocation.BODY, field, chosen);
        ProbeResponse changed;
        try {
            changed = context.send(change, attacker.credentials());
        } catch (AuthenticationFailedException e) {
            return false;
        }
        if (!changed.isSuccess()) {
            return false;
        }
        boolean victimTakenOver = logsInWith(context, victim, chosen);
        // Whose password changed, it gets its own back, set by its owner (whose token still works); as a last
        // resort through the same flaw.
        if (victimTakenOver) {
            restore(context, change, field, victim, attacker);
        }
        if (logsInWith(context, attacker, chosen)) {
            SynthesizedRequest own = change.with(
                    ParameterLocation.PATH, parameter, attacker.userName().get());
            restore(context, own, field, attacker, attacker);
        }
        if (!victimTakenOver) {
            return false;
        }
        context.report(OTHER_USER_PASSWORD.finding(
                Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                "path:" + parameter,
                new Evidence(
                        List.of(Redactor.excerpt(changed)),
                        "Identity '" + attacker.label() + "' set the password of user " + victimId + " (identity '"
                                + victim.label() + "') and got HTTP " + changed.status() + "; a login as '"
                                + victim.label() + "' with the new password then succeeded. The password was set "
                                + "back right after.")));
        return true;
    }

    /** Sets the account's password back to the one the scan was given, as the owner, else as the other user. */
    private static void restore(
            ScanContext context,
            SynthesizedRequest change,
            String field,
            IdentitySession owner,
            IdentitySession fallback) {
        String original = password(owner).orElseThrow();
        SynthesizedRequest back = change.with(ParameterLocation.BODY, field, original);
        for (IdentitySession as : List.of(owner, fallback)) {
            try {
                context.send(back, as.credentials());
            } catch (AuthenticationFailedException e) {
                continue;
            }
            if (logsInWith(context, owner, original)) {
                return;
            }
        }
    }

    /** Whether a login of the identity's own flow with this password gets a credential. */
    private static boolean logsInWith(ScanContext context, IdentitySession session, String password) {
        Identity.LoginFlow login = (Identity.LoginFlow) session.identity();
        Map<String, String> fields = new LinkedHashMap<>(login.fields());
        String key = passwordKey(login).orElse(null);
        if (key == null) {
            return false;
        }
        fields.put(key, password);
        Identity.LoginFlow probe = new Identity.LoginFlow(
                login.label(),
                login.method(),
                login.path(),
                fields,
                login.tokenPointer(),
                login.header(),
                login.scheme(),
                login.form());
        try {
            new IdentitySession(probe, context.target()).credentials();
            return true;
        } catch (AuthenticationFailedException e) {
            return false;
        }
    }

    private static Optional<String> password(IdentitySession session) {
        return session.identity() instanceof Identity.LoginFlow login
                ? passwordKey(login).map(login.fields()::get)
                : Optional.empty();
    }

    private static Optional<String> passwordKey(Identity.LoginFlow login) {
        return login.fields().keySet().stream()
                .filter(k -> k.toLowerCase(java.util.Locale.ROOT).contains("pass") || k.equalsIgnoreCase("pwd"))
                .findFirst();
    }

    /** The path parameter that names the user: the one right after the users segment. */
    private static String userParameter(PlannedOperation op) {
        var matcher = USER_PARAMETER.matcher(op.pathTemplate());
        return matcher.find() ? matcher.group(1) : null;
    }
}
