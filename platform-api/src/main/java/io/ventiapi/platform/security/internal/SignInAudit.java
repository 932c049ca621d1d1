package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.tenancy.TenantId;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what happens at the login page to the member's tenant's audit log, with the address and
 * browser it came from: a completed sign-in ({@code member.signIn}, by the member; after a one-time
 * password, once they chose their own, see {@link PasswordPage}), and a wrong
 * password for an existing member ({@code member.signInFailed}, by the login page, saying whether
 * it locked the name). A name no member has belongs to no tenant and is not written anywhere. The
 * sign-in itself never fails for its audit: a database away is logged instead.
 */
public final class SignInAudit {

    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);

    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final MemberLogins members;
    private final String issuer;

    public SignInAudit(AuditLog audit, TransactionTemplate tx, MemberLogins members, String issuer) {
        this.audit = audit;
        this.tx = tx;
        this.members = members;
        this.issuer = issuer;
    }

    public void signedIn(Object principal) {
        if (!(principal instanceof MemberPrincipal member)) {
            return;
        }
        write(
                member.actor(issuer),
                member,
                () -> audit.record("member.signIn", "Member", member.memberId().toString(), Map.of()));
    }

    /**
     * Audits a wrong password, after the answer: written while the browser waited, it made a wrong
     * password for an existing member slower to answer than one for a name no member has, telling
     * which names exist.
     */
    public void failed(String username, boolean locked, String sourceIp, String userAgent) {
        Thread.ofVirtual().name("sign-in-audit").start(() -> failedNow(username, locked, sourceIp, userAgent));
    }

    private void failedNow(String username, boolean locked, String sourceIp, String userAgent) {
        MemberPrincipal member;
        try {
            member = username == null ? null : (MemberPrincipal) members.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            return;
        } catch (RuntimeException e) {
            log.warn("A failed sign-in could not be audited: {}", e.toString());
            return;
        }
        if (member == null) {
            return;
        }
        var loginPage = new Actor(
                "login", "login page", ActorType.SYSTEM, TenantId.of(member.tenantId()), Set.of(), Set.of(), issuer);
        write(
                loginPage,
                member,
                () -> audit.record(
                        "member.signInFailed",
                        "Member",
                        member.memberId().toString(),
                        Map.of("locked", locked),
                        sourceIp,
                        userAgent));
    }

    private void write(Actor actor, MemberPrincipal member, Runnable record) {
        try {
            SystemActor.callAs(
                    actor,
                    () -> tx.execute(status -> {
                        record.run();
                        return null;
                    }));
        } catch (RuntimeException e) {
            log.warn("Sign-in of member {} not audited: {}", member.memberId(), e.toString());
        }
    }
}
