package io.ventiapi.platform.tenant;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.tenant.internal.TenantRepository;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The platform operator's view of tenants. Every method needs the {@code platform:admin} scope. */
@Service
@PreAuthorize("hasAuthority('SCOPE_" + Scopes.PLATFORM_ADMIN + "')")
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);
    private static final Sort SORT = Sort.by("createdAt", "id");

    private final TenantRepository tenants;
    private final MemberService members;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    TenantService(
            TenantRepository tenants,
            MemberService members,
            AuditLog audit,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            ObjectProvider<Clock> clock) {
        this.tenants = tenants;
        this.members = members;
        this.audit = audit;
        this.tx = tx;
        this.events = events;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    public Window<Tenant> list(ScrollPosition position, Limit limit) {
        return tx.execute(status -> tenants.findAllBy(Keysets.checked(position, SORT, Tenant.class), limit, SORT));
    }

    /** The caller's own tenant. */
    @PreAuthorize("isAuthenticated()")
    public Tenant current() {
        var id = Tenancy.current().value();
        return tx.execute(status -> tenants.findById(id).orElseThrow(() -> UserErrorException.notFound("tenant", id)));
    }

    /**
     * Creates a tenant and, if {@code adminUsername} is given, its first tenant admin, whose
     * one-time password is returned. The two are written in two transactions, one bound to each
     * tenant: if the admin is refused after the tenant was written (its username taken in the
     * meantime), the tenant stays, and the result says why it has no admin; {@link #addAdmin}
     * gives it one.
     */
    public CreatedTenant create(String id, String name, Plan plan, String adminUsername) {
        if (!TenantId.isValid(id)) {
            throw UserErrorException.invalid("id", "a tenant id is 2-40 lower-case letters, digits or inner hyphens");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw UserErrorException.invalid("name", "a name is 1-200 characters");
        }
        if (plan == Plan.INTERNAL) {
            throw UserErrorException.invalid("plan", "the INTERNAL plan is reserved for the platform tenant");
        }
        if (adminUsername != null) {
            members.requireUsernameAvailable(adminUsername);
        }
        Tenant tenant = tx.execute(status -> {
            if (tenants.existsById(id)) {
                throw UserErrorException.conflict("tenant " + id + " already exists");
            }
            var created = tenants.save(new Tenant(id, name.strip(), plan, Instant.now(clock)));
            var summary = new LinkedHashMap<String, Object>(Map.of("id", id, "name", name, "plan", plan.name()));
            if (adminUsername != null) {
                summary.put("adminUsername", adminUsername);
            }
            audit.record("tenant.create", "Tenant", id, summary);
            return created;
        });
        if (adminUsername == null) {
            return new CreatedTenant(tenant, null, null);
        }
        try {
            return new CreatedTenant(tenant, members.bootstrapAdmin(TenantId.of(id), adminUsername), null);
        } catch (UserErrorException e) {
            auditRefusal(id, adminUsername, e);
            return new CreatedTenant(
                    tenant,
                    null,
                    new UserError(
                            e.error().code(),
                            "tenant " + id + " was created without an admin ("
                                    + e.error().message() + "): give it one with addTenantAdmin",
                            "adminUsername"));
        }
    }

    /**
     * Gives a tenant that has no admin its first one (created without one, or the admin was refused
     * on creation), whose one-time password is returned. Refused while it has one: the operator
     * does not take over a tenant that runs itself. Audited in the platform's chain first
     * ({@code tenant.addAdmin}, then {@code tenant.adminRefused} if the tenant refuses it), and
     * in the tenant's ({@code member.bootstrap}).
     */
    public MemberService.InvitedMember addAdmin(String id, String adminUsername) {
        if (TenantId.PLATFORM.value().equals(id)) {
            throw UserErrorException.invalid("tenantId", "platform admins are invited into the platform tenant");
        }
        if (!TenantId.isValid(id)) {
            throw UserErrorException.notFound("tenant", id);
        }
        members.requireUsernameAvailable(adminUsername);
        tx.executeWithoutResult(status -> {
            if (!tenants.existsById(id)) {
                throw UserErrorException.notFound("tenant", id);
            }
            audit.record("tenant.addAdmin", "Tenant", id, Map.of("id", id, "adminUsername", adminUsername));
        });
        try {
            return members.bootstrapAdmin(TenantId.of(id), adminUsername);
        } catch (UserErrorException e) {
            auditRefusal(id, adminUsername, e);
            throw e;
        }
    }

    /**
     * Gives a tenant admin who has not chosen their own password yet (the first admin the operator
     * created, say, whose one-time password expired unused or reached the wrong person) a new
     * one-time password, returned once. Refused once they chose their own: the tenant's admins reset
     * that. Audited in the platform's chain ({@code tenant.resetAdminPassword}, then {@code
     * tenant.resetAdminPasswordRefused} if refused) and in the tenant's ({@code member.resetPassword}).
     */
    public MemberService.PasswordReset resetAdminPassword(String id, String adminUsername) {
        if (TenantId.PLATFORM.value().equals(id)) {
            throw UserErrorException.invalid(
                    "tenantId", "platform admins reset each other's passwords in the platform tenant");
        }
        if (!TenantId.isValid(id)) {
            throw UserErrorException.notFound("tenant", id);
        }
        tx.executeWithoutResult(status -> {
            if (!tenants.existsById(id)) {
                throw UserErrorException.notFound("tenant", id);
            }
            audit.record(
                    "tenant.resetAdminPassword",
                    "Tenant",
                    id,
                    Map.of("id", id, "adminUsername", String.valueOf(adminUsername)));
        });
        try {
            return members.resetFirstAdminPassword(TenantId.of(id), adminUsername);
        } catch (UserErrorException e) {
            tx.executeWithoutResult(status -> audit.record(
                    "tenant.resetAdminPasswordRefused",
                    "Tenant",
                    id,
                    Map.of(
                            "id",
                            id,
                            "adminUsername",
                            String.valueOf(adminUsername),
                            "reason",
                            e.error().message())));
            throw e;
        }
    }

    /** Records in the platform's chain that a tenant refused the admin the operator gave it. */
    private void auditRefusal(String id, String adminUsername, UserErrorException refusal) {
        tx.executeWithoutResult(status -> audit.record(
                "tenant.adminRefused",
                "Tenant",
                id,
                Map.of(
                        "id",
                        id,
                        "adminUsername",
                        adminUsername,
                        "reason",
                        refusal.error().message())));
    }

    public Tenant suspend(String id) {
        return changeStatus(id, TenantStatus.SUSPENDED, "tenant.suspend");
    }

    public Tenant reactivate(String id) {
        return changeStatus(id, TenantStatus.ACTIVE, "tenant.reactivate");
    }

    /**
     * Suspends or reactivates a tenant, audited in the platform's chain with the change, then in
     * the tenant's own, so that its admins see who stopped or started it and when. A suspended
     * tenant's queued and running scans are then cancelled ({@link TenantSuspended}): its tokens
     * are refused from now on, and what it scans must stop receiving its traffic too.
     */
    private Tenant changeStatus(String id, TenantStatus target, String action) {
        if (TenantId.PLATFORM.value().equals(id)) {
            throw UserErrorException.invalid("id", "the platform tenant cannot be suspended");
        }
        var changed = tx.execute(status -> {
            var tenant = tenants.findById(id).orElseThrow(() -> UserErrorException.notFound("tenant", id));
            if (tenant.getStatus() == target) {
                throw UserErrorException.conflict("tenant " + id + " is already " + target);
            }
            tenant.changeStatus(target, Instant.now(clock));
            audit.record(action, "Tenant", id, Map.of("id", id));
            return tenant;
        });
        try {
            Tenancy.run(
                    TenantId.of(id),
                    () -> tx.executeWithoutResult(
                            status -> audit.record(action, "Tenant", id, Map.of("id", id, "status", target.name()))));
        } catch (RuntimeException e) {
            // The change stands, and the platform's chain holds it: the caller is not told it failed.
            log.error("Tenant {} was {} but its own audit log could not record it", id, action, e);
        }
        if (target == TenantStatus.SUSPENDED) {
            try {
                Tenancy.run(TenantId.of(id), () -> events.publishEvent(new TenantSuspended(TenantId.of(id))));
            } catch (RuntimeException e) {
                // The suspension stands; the scan watchdog cancels what is left at its next sweep.
                log.error("Tenant {} was suspended but not all of its scans could be cancelled", id, e);
            }
        }
        return changed;
    }

    /**
     * A new tenant and, if one was asked for, its first admin's one-time credentials, or why that
     * admin was refused.
     */
    public record CreatedTenant(Tenant tenant, MemberService.InvitedMember initialAdmin, UserError adminRefused) {}
}
