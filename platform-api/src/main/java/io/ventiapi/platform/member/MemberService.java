package io.ventiapi.platform.member;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.Secrets;
import io.ventiapi.platform.common.TenantQuotas;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.common.Usernames;
import io.ventiapi.platform.member.internal.MemberRepository;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Members of the bound tenant. Managing them needs the {@code tenant:admin} scope. A password
 * someone else set (at an invitation, a tenant's creation or a reset) is one-time: it opens only
 * the page where its member chooses their own (ADR 3), and expires unused after {@link
 * #ONE_TIME_PASSWORD_LIFETIME}.
 */
@Service
public class MemberService {

    /** How long a one-time password opens the change page if its member does not sign in. */
    public static final Duration ONE_TIME_PASSWORD_LIFETIME = Duration.ofDays(7);

    private static final Sort SORT = Sort.by("createdAt", "id");

    /** The only unique key of a member besides its random id is its username. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String TENANT_ADMIN = "hasAuthority('SCOPE_" + Scopes.TENANT_ADMIN + "')";

    private final MemberRepository members;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final TenantQuotas quotas;

    MemberService(
            MemberRepository members,
            PasswordEncoder passwords,
            AuditLog audit,
            JdbcClient jdbc,
            TransactionTemplate tx,
            TenantQuotas quotas,
            ObjectProvider<Clock> clock) {
        this.quotas = quotas;
        this.members = members;
        this.tx = tx;
        this.passwords = passwords;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(TENANT_ADMIN)
    public Window<Member> list(ScrollPosition position, Limit limit) {
        return members.findAllBy(Keysets.checked(position, SORT, Member.class), limit, SORT);
    }

    /**
     * Adds a person to the tenant with a one-time password, returned once: it opens nothing but the
     * page where they choose their own, at their first sign-in, within {@link
     * #ONE_TIME_PASSWORD_LIFETIME}. (Mail delivery of invitations is a later concern; the admin
     * passes it on.)
     */
    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public InvitedMember invite(String username, String displayName, Role role) {
        requireAssignable(role);
        return create(username, displayName, role, "member.invite");
    }

    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public Member setRole(UUID id, Role role) {
        requireAssignable(role);
        lockAdmins();
        var member = find(id);
        if (member.getRole() == adminRole() && role != adminRole()) {
            requireAnotherAdmin();
        }
        var previous = member.getRole();
        member.changeRole(role);
        audit.record(
                "member.setRole",
                "Member",
                id.toString(),
                Map.of("role", role.name(), "previousRole", previous.name()));
        return member;
    }

    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public void remove(UUID id) {
        requirePlatformAdminForPlatformMembers();
        lockAdmins();
        var member = find(id);
        if (member.getRole() == adminRole()) {
            requireAnotherAdmin();
        }
        members.delete(member);
        audit.record("member.remove", "Member", id.toString(), Map.of("username", member.getUsername()));
    }

    /**
     * Replaces a member's password with a one-time password, returned once, as at their invitation:
     * they choose their own at their next sign-in, and sign-ins made with the old one get no new
     * code or token (ADR 3). Audited as {@code member.resetPassword}.
     */
    @Transactional
    @PreAuthorize(TENANT_ADMIN)
    public PasswordReset resetPassword(UUID id) {
        requirePlatformAdminForPlatformMembers();
        var member = members.findLockedById(id).orElseThrow(() -> UserErrorException.notFound("member", id));
        return reset(member);
    }

    /**
     * The platform operator resets the one-time password of a tenant's admin who has not chosen
     * their own yet (the first admin they created, whose password expired or leaked), in a
     * transaction of its own bound to that tenant, audited there as {@code member.resetPassword}.
     * Refused once the tenant runs itself, that is once any of its admins chose their own password
     * or was stored before one-time passwords (changeset 020): the operator does not take over such
     * a tenant, not even through an admin who has not signed in yet; its admins reset each other's.
     */
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.PLATFORM_ADMIN + "')")
    public PasswordReset resetFirstAdminPassword(TenantId tenant, String username) {
        return Tenancy.call(
                tenant,
                () -> tx.execute(status -> {
                    lockAdmins();
                    var admin = (Usernames.valid(username)
                                    ? members.findLockedByUsername(username)
                                    : Optional.<Member>empty())
                            .filter(member -> member.getRole() == Role.TENANT_ADMIN)
                            .orElseThrow(() ->
                                    UserErrorException.notFound("admin", username + " of tenant " + tenant.value()));
                    if (members.countWhoSignedIn(Role.TENANT_ADMIN) > 0) {
                        throw UserErrorException.forbidden("an admin of tenant " + tenant.value()
                                + " chose their own password: only the tenant's admins reset " + username + "'s");
                    }
                    return reset(admin);
                }));
    }

    /**
     * The platform operator gives {@code tenant} its first admin, in a transaction of its own bound
     * to that tenant (audited there as {@code member.bootstrap}): when creating the tenant, or later
     * for a tenant that has none. Refused while the tenant has an admin: the operator does not
     * take over a tenant that runs itself.
     */
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.PLATFORM_ADMIN + "')")
    public InvitedMember bootstrapAdmin(TenantId tenant, String username) {
        return Tenancy.call(
                tenant,
                () -> tx.execute(status -> {
                    lockAdmins();
                    if (members.countByRole(Role.TENANT_ADMIN) > 0) {
                        throw UserErrorException.conflict("tenant " + tenant.value() + " already has an admin");
                    }
                    return create(username, null, Role.TENANT_ADMIN, "member.bootstrap");
                }));
    }

    /** Refuses a username that any tenant already uses: usernames sign in without naming a tenant. */
    public void requireUsernameAvailable(String username) {
        if (!Usernames.valid(username)) {
            throw UserErrorException.invalid("username", Usernames.RULE);
        }
        boolean taken = jdbc.sql("select count(*) from venti_member_login(?)")
                        .param(username)
                        .query(Long.class)
                        .single()
                > 0;
        if (taken) {
            throw UserErrorException.conflict("username " + username + " is taken");
        }
    }

    private InvitedMember create(String username, String displayName, Role role, String action) {
        requireUsernameAvailable(username);
        quotas.requireRoom(TenantQuotas.Quota.MEMBERS, members::count);
        var password = Secrets.random(18);
        var now = now();
        Member member;
        try {
            member = members.saveAndFlush(new Member(
                    username,
                    displayName,
                    passwords.encode(password),
                    role,
                    now,
                    now.plus(ONE_TIME_PASSWORD_LIFETIME)));
        } catch (DataIntegrityViolationException e) {
            if (!(e.getMostSpecificCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()))) {
                throw e;
            }
            // Taken since the check above, by another transaction, maybe in another tenant.
            throw UserErrorException.conflict("username " + username + " is taken");
        }
        var summary = new HashMap<String, Object>(Map.of("username", username, "role", role.name()));
        if (displayName != null) {
            summary.put("displayName", displayName);
        }
        audit.record(action, "Member", member.getId().toString(), summary);
        return new InvitedMember(member, password);
    }

    /**
     * The member acting sets their own password, in place of the one they proved they know: a
     * one-time password at the sign-in that just accepted it, or their own, typed again. {@code
     * provenPasswordChangedAt} says which password they proved ({@link Member#getPasswordChangedAt}
     * as it was then): if it was replaced since (an admin reset it), nothing changes. Clears the
     * one-time flag; audited as {@code member.changePassword}.
     *
     * @return the member with their new password's {@link Member#getPasswordChangedAt}
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public Member changeOwnPassword(Instant provenPasswordChangedAt, String newPassword, String repeatPassword) {
        var actor = CurrentActor.get();
        if (actor.type() != ActorType.USER || actor.id() == null || actor.id().startsWith(Actor.EXTERNAL)) {
            throw UserErrorException.forbidden("only a member of the platform has a password here");
        }
        var id = UUID.fromString(actor.id());
        var member = members.findLockedById(id).orElseThrow(() -> UserErrorException.notFound("member", id));
        if (!member.getPasswordChangedAt().equals(provenPasswordChangedAt)) {
            throw UserErrorException.conflict("your password was changed or reset since you typed it: sign in again");
        }
        if (member.isMustChangePassword()
                && member.getOneTimePasswordExpiresAt() != null
                && !now().isBefore(member.getOneTimePasswordExpiresAt())) {
            // Typed in time, but the page left open past the expiry: the login form's rule holds.
            throw UserErrorException.forbidden(
                    "This one-time password expired unused: ask an admin of your tenant for a new one.");
        }
        PasswordRules.check(newPassword, member.getUsername(), "newPassword");
        if (!newPassword.equals(repeatPassword)) {
            throw UserErrorException.invalid("repeatPassword", "the two new passwords differ");
        }
        if (passwords.matches(newPassword, member.getPasswordHash())) {
            throw UserErrorException.invalid("newPassword", "the new password must differ from your current one");
        }
        boolean oneTime = member.isMustChangePassword();
        member.setOwnPassword(passwords.encode(newPassword), now());
        audit.record("member.changePassword", "Member", id.toString(), Map.of("oneTime", oneTime));
        return member;
    }

    private PasswordReset reset(Member member) {
        var password = Secrets.random(18);
        var now = now();
        member.setOneTimePassword(passwords.encode(password), now, now.plus(ONE_TIME_PASSWORD_LIFETIME));
        audit.record(
                "member.resetPassword", "Member", member.getId().toString(), Map.of("username", member.getUsername()));
        return new PasswordReset(member, password);
    }

    /**
     * Now, as PostgreSQL keeps it (microseconds): a password's {@link Member#getPasswordChangedAt}
     * is compared with what a sign-in session remembers of it.
     */
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * One change at a time to who administers the bound tenant (ADR 14): without it, two admins
     * removing each other could both see another admin left, and two first admins could both see
     * none.
     */
    private void lockAdmins() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('admins:' || ?))")
                .param(Tenancy.current().value())
                .query()
                .singleValue();
    }

    private Member find(UUID id) {
        return members.findById(id).orElseThrow(() -> UserErrorException.notFound("member", id));
    }

    private static boolean inPlatformTenant() {
        return Tenancy.current().equals(TenantId.PLATFORM);
    }

    /** The role that administers the bound tenant: platform admins in the platform tenant. */
    private static Role adminRole() {
        return inPlatformTenant() ? Role.PLATFORM_ADMIN : Role.TENANT_ADMIN;
    }

    /**
     * Members of the platform tenant are platform admins: only a caller holding {@code
     * platform:admin} adds, changes or removes them (tenant:admin alone administers a tenant).
     */
    private static void requirePlatformAdminForPlatformMembers() {
        if (inPlatformTenant() && !CurrentActor.holds(Scopes.PLATFORM_ADMIN)) {
            throw UserErrorException.forbidden("only a platform admin manages the platform tenant's members");
        }
    }

    private static void requireAssignable(Role role) {
        requirePlatformAdminForPlatformMembers();
        if (inPlatformTenant() != (role == Role.PLATFORM_ADMIN)) {
            throw UserErrorException.invalid(
                    "role",
                    inPlatformTenant()
                            ? "members of the platform tenant are platform admins"
                            : "PLATFORM_ADMIN is only for the platform tenant");
        }
    }

    private void requireAnotherAdmin() {
        if (members.countByRole(adminRole()) <= 1) {
            throw UserErrorException.conflict("a tenant keeps at least one admin");
        }
    }

    /** A new member and the one-time password to hand to them. */
    public record InvitedMember(Member member, String initialPassword) {}

    /** A member whose password was reset, and the one-time password to hand to them. */
    public record PasswordReset(Member member, String oneTimePassword) {}
}
