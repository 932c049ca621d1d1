package io.ventiapi.server.support;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Actor;
import io.ventiapi.platform.common.ActorType;
import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.issuer.TrustedIssuerService;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;

/** Creates tenants with credentials through the application services, as the platform admin would. */
@TestComponent
public class TestTenants {

    private final TenantService tenants;
    private final MemberService members;
    private final ApiClientService clients;
    private final TrustedIssuerService issuers;

    TestTenants(TenantService tenants, MemberService members, ApiClientService clients, TrustedIssuerService issuers) {
        this.tenants = tenants;
        this.members = members;
        this.clients = clients;
        this.issuers = issuers;
    }

    /**
     * A new tenant with a unique id, a tenant admin, a viewer, a tenant-admin API client and a
     * trusted issuer: a row in every tenant-owned table.
     */
    public Fixture create(String prefix) {
        return create(prefix, Plan.TEAM);
    }

    /** The same, on {@code plan}. */
    public Fixture create(String prefix, Plan plan) {
        var id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var tenant = TenantId.of(id);
        var created =
                SystemActor.call(TenantId.PLATFORM, () -> tenants.create(id, prefix, plan, "admin@" + id + ".test"));
        var client = SystemActor.call(
                tenant,
                () -> clients.create(
                        "admin automation",
                        List.of(Scopes.TENANT_ADMIN, Scopes.AUDIT_READ, Scopes.PROJECTS_READ, Scopes.SCANS_READ)));
        var viewer = SystemActor.call(tenant, () -> members.invite("viewer@" + id + ".test", null, Role.VIEWER));
        var issuer = SystemActor.call(
                tenant, () -> issuers.add("http://127.0.0.1:9/issuers/" + id, null, "ventiapi", Role.VIEWER));
        return new Fixture(
                tenant,
                created.initialAdmin().member().getId(),
                created.initialAdmin().member().getUsername(),
                created.initialAdmin().initialPassword(),
                viewer.member().getId(),
                client.client().getId(),
                client.client().getClientId(),
                client.clientSecret(),
                issuer.getId());
    }

    /**
     * The member chooses a password of their own in place of their one-time password, as at their
     * first sign-in but without signing in; returns it.
     */
    public String choosesOwnPassword(TenantId tenant, UUID memberId) {
        var member = SystemActor.call(
                tenant,
                () -> members.list(ScrollPosition.keyset(), Limit.of(100)).stream()
                        .filter(candidate -> candidate.getId().equals(memberId))
                        .findFirst()
                        .orElseThrow());
        var password = "an own passphrase " + UUID.randomUUID();
        var actor = new Actor(
                member.getId().toString(),
                member.getUsername(),
                ActorType.USER,
                tenant,
                Set.of(member.getRole()),
                Set.copyOf(member.getRole().scopes()),
                "test");
        SystemActor.callAs(actor, () -> members.changeOwnPassword(member.getPasswordChangedAt(), password, password));
        return password;
    }

    /**
     * What a test needs of a tenant it created.
     *
     * @param adminPassword the admin's one-time password: it opens only the page where they choose
     *     their own ({@link #choosesOwnPassword} chooses one without signing in)
     */
    public record Fixture(
            TenantId id,
            UUID adminMemberId,
            String adminUsername,
            String adminPassword,
            UUID viewerMemberId,
            UUID apiClientId,
            String clientId,
            String clientSecret,
            UUID trustedIssuerId) {}
}
