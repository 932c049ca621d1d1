package io.ventiapi.engine.check.access;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.JsonValues;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API1: one user changing another user's attributes (e-mail, name) through the other user's id. Attacker and
 * victim are two identities of the scan with one role, not an administrator's, whatever order they were given in;
 * the victim is found in the API's own user listings by its user name; the change is read back as the victim and
 * then undone by the victim. Passwords are left to {@link OtherUserPasswordCheck}. Not in
 * SAFE. Runs after the other checks, whose probes write the same attribute.
 */
public final class UserAttributeCheck implements Check {

    static final Rule OTHER_USER = new Rule(
            "access.other-user-attributes",
            "Another user's account attributes can be changed",
            OwaspCategory.API1,
            639,
            Severity.CRITICAL,
            "A user changed another user's account attributes (such as the e-mail address, which usually controls password resets) by putting the other user's id in the request.",
            "Allow changes to an account only by its owner (compare the id in the path with the caller's id from the token) or by administrators.");

    private static final Pattern USER_PATH =
            Pattern.compile("(?i).*/(users?|accounts?|members?|profiles?|customers?)/\\{[^}]+}$");
    private static final Pattern ATTRIBUTE =
            Pattern.compile("(?i)^(e-?mail|email_?address|name|display_?name|nickname|full_?name)$");

    @Override
    public List<Rule> rules() {
        return List.of(OTHER_USER);
    }

    /** After the other checks: injection probes write the same attribute of the same account. */
    @Override
    public void afterOtherChecks(ScanContext context) {
        context.baselines().forEach(baseline -> changeOtherUser(context, baseline));
    }

    private static void changeOtherUser(ScanContext context, Baseline baseline) {
        PlannedOperation op = baseline.operation();
        String parameter = OperationKinds.itemParameter(op);
        if (context.profile() == ScanProfile.SAFE
                || !(op.method().equals("PATCH") || op.method().equals("PUT"))
                || parameter == null
                || !USER_PATH.matcher(op.pathTemplate()).matches()
                || !(baseline.request().body() instanceof Map<?, ?> body)) {
            return;
        }
        String attribute = body.keySet().stream()
                .map(String::valueOf)
                .filter(name -> ATTRIBUTE.matcher(name).matches() && body.get(name) instanceof String)
                .findFirst()
                .orElse(null);
        Optional<PlannedOperation> read = context.plan().operations().stream()
                .filter(o -> o.method().equals("GET") && o.pathTemplate().equals(op.pathTemplate()))
                .findFirst();
        if (attribute == null || read.isEmpty()) {
            return;
        }
        // A user of the same role as the victim, never an administrator (who may edit anyone), whoever sent the
        // baseline.
        IdentitySession attacker =
                SameRolePeers.ownerFor(context, baseline.identity(), op).orElse(null);
        if (attacker == null) {
            return;
        }
        List<ProbeResponse> seen = new ArrayList<>();
        context.baselines().forEach(b -> seen.add(b.response()));
        for (IdentitySession victim : SameRolePeers.peersOf(context, attacker, op)) {
            String name = victim.userName().orElse(null);
            if (name == null) {
                continue;
            }
            Optional<String> victimId = JsonValues.idOfObjectWith(seen, name);
            if (victimId.isEmpty()) {
                continue;
            }
            SynthesizedRequest readRequest = context.synthesizer()
                    .synthesize(read.get(), new HarvestedValues())
                    .with(ParameterLocation.PATH, OperationKinds.itemParameter(read.get()), victimId.get());
            ProbeResponse before = context.send(readRequest, victim.credentials());
            Optional<String> original = JsonValues.property(before, attribute);
            if (!before.isSuccess() || original.isEmpty()) {
                continue;
            }
            // Other probes may write the same account meanwhile: a few attempts, each with its own marker.
            for (int attempt = 0; attempt < 3; attempt++) {
                String marker = "venti-" + UUID.randomUUID().toString().substring(0, 8);
                String value = attribute.toLowerCase().contains("mail") ? marker + "@example.invalid" : marker;
                SynthesizedRequest change = baseline.request()
                        .with(ParameterLocation.PATH, parameter, victimId.get())
                        .with(ParameterLocation.BODY, attribute, value);
                ProbeResponse changed = context.send(change, attacker.credentials());
                if (!changed.isSuccess()) {
                    return;
                }
                ProbeResponse after = context.send(readRequest, victim.credentials());
                // Other probes of this scan may have written the account again in between: the write's own
                // answer showing the new value, and the victim seeing its value changed, prove it as well.
                String now = JsonValues.property(after, attribute).orElse("");
                boolean confirmed = now.equals(value)
                        || (JsonValues.property(changed, attribute)
                                        .map(value::equals)
                                        .orElse(false)
                                && !now.equals(original.get()));
                // Put the victim's value back, as the victim.
                context.send(change.with(ParameterLocation.BODY, attribute, original.get()), victim.credentials());
                if (confirmed) {
                    context.report(OTHER_USER.finding(
                            Confidence.CONFIRMED,
                            op.method(),
                            op.pathTemplate(),
                            "path:" + parameter,
                            new Evidence(
                                    List.of(Redactor.excerpt(changed), Redactor.excerpt(after)),
                                    "Identity '" + attacker.label() + "' set the " + attribute + " of user "
                                            + victimId.get() + " (identity '" + victim.label() + "') to " + value
                                            + " and got HTTP " + changed.status() + " (first exchange); '"
                                            + victim.label() + "' then read its own account with the new value "
                                            + "(second exchange). The original value was restored afterwards.")));
                    return;
                }
            }
            return;
        }
    }
}
