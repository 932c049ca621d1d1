package io.ventiapi.platform.tenant.graphql;

import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.member.Member;
import io.ventiapi.platform.tenant.Tenant;
import io.ventiapi.platform.tenant.TenantService;
import java.util.List;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class TenantController {

    private final TenantService tenants;

    TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    @QueryMapping
    Window<Tenant> tenants(ScrollSubrange subrange) {
        return tenants.list(Paging.position(subrange), Paging.limit(subrange));
    }

    @MutationMapping
    CreateTenantPayload createTenant(@Argument CreateTenantInput input) {
        return Payloads.attempt(
                () -> {
                    var created = tenants.create(
                            input.id(),
                            input.name(),
                            input.plan() == null ? Plan.TEAM : input.plan(),
                            input.adminUsername());
                    var admin = created.initialAdmin();
                    return new CreateTenantPayload(
                            created.tenant(),
                            admin == null ? null : admin.member(),
                            admin == null ? null : admin.initialPassword(),
                            created.adminRefused() == null ? List.of() : List.of(created.adminRefused()));
                },
                error -> new CreateTenantPayload(null, null, null, List.of(error)));
    }

    @MutationMapping
    AddTenantAdminPayload addTenantAdmin(@Argument AddTenantAdminInput input) {
        return Payloads.attempt(
                () -> {
                    var added = tenants.addAdmin(input.tenantId(), input.username());
                    return new AddTenantAdminPayload(added.member(), added.initialPassword(), List.of());
                },
                error -> new AddTenantAdminPayload(null, null, List.of(error)));
    }

    @MutationMapping
    ResetTenantAdminPasswordPayload resetTenantAdminPassword(@Argument ResetTenantAdminPasswordInput input) {
        return Payloads.attempt(
                () -> {
                    var reset = tenants.resetAdminPassword(input.tenantId(), input.username());
                    return new ResetTenantAdminPasswordPayload(reset.member(), reset.oneTimePassword(), List.of());
                },
                error -> new ResetTenantAdminPasswordPayload(null, null, List.of(error)));
    }

    @MutationMapping
    TenantPayload suspendTenant(@Argument TenantIdInput input) {
        return Payloads.attempt(
                () -> new TenantPayload(tenants.suspend(input.id()), List.of()),
                error -> new TenantPayload(null, List.of(error)));
    }

    @MutationMapping
    TenantPayload reactivateTenant(@Argument TenantIdInput input) {
        return Payloads.attempt(
                () -> new TenantPayload(tenants.reactivate(input.id()), List.of()),
                error -> new TenantPayload(null, List.of(error)));
    }

    record CreateTenantInput(String id, String name, Plan plan, String adminUsername) {}

    record TenantIdInput(String id) {}

    record AddTenantAdminInput(String tenantId, String username) {}

    record AddTenantAdminPayload(Member admin, String initialPassword, List<UserError> errors) {}

    record ResetTenantAdminPasswordInput(String tenantId, String username) {}

    record ResetTenantAdminPasswordPayload(Member admin, String oneTimePassword, List<UserError> errors) {}

    record CreateTenantPayload(Tenant tenant, Member admin, String adminInitialPassword, List<UserError> errors) {}

    record TenantPayload(Tenant tenant, List<UserError> errors) {}
}
