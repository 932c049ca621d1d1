package io.ventiapi.platform.apiclient;

import io.ventiapi.platform.apiclient.internal.ApiClientRepository;
import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.SecretDigest;
import io.ventiapi.platform.common.Secrets;
import io.ventiapi.platform.common.TenantQuotas;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.tenancy.Tenancy;
import io.ventiapi.tenancy.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** API clients of the bound tenant. Managing them needs the {@code tenant:admin} scope. */
@Service
@PreAuthorize("hasAuthority('SCOPE_" + Scopes.TENANT_ADMIN + "')")
public class ApiClientService {

    private static final Sort SORT = Sort.by("createdAt", "id");

    private final ApiClientRepository clients;
    private final AuditLog audit;
    private final Clock clock;

    private final TenantQuotas quotas;

    ApiClientService(ApiClientRepository clients, AuditLog audit, TenantQuotas quotas, ObjectProvider<Clock> clock) {
        this.quotas = quotas;
        this.clients = clients;
        this.audit = audit;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    public Window<ApiClient> list(ScrollPosition position, Limit limit) {
        return clients.findAllBy(Keysets.checked(position, SORT, ApiClient.class), limit, SORT);
    }

    /** Creates a client; its secret is in the result and nowhere else, ever. */
    @Transactional
    public CreatedApiClient create(String name, List<String> scopes) {
        if (name == null || name.isBlank() || name.length() > 120) {
            throw UserErrorException.invalid("name", "a name is 1-120 characters");
        }
        var granted = grantableScopes(scopes);
        quotas.requireRoom(TenantQuotas.Quota.API_CLIENTS, clients::countByRevokedAtIsNull);
        var clientId = Tenancy.current().value() + "-"
                + Secrets.random(9).toLowerCase().replace('_', 'x');
        var secret = "vs_" + Secrets.random(32);
        var client = clients.save(
                new ApiClient(clientId, name.strip(), SecretDigest.hash(secret), granted, Instant.now(clock)));
        audit.record(
                "apiClient.create",
                "ApiClient",
                client.getId().toString(),
                Map.of("name", name, "clientId", clientId, "scopes", new TreeSet<>(granted)));
        return new CreatedApiClient(client, secret);
    }

    /** Revokes a client: no new tokens, and its live tokens are refused at the next request. */
    @Transactional
    public ApiClient revoke(UUID id) {
        var client = clients.findById(id).orElseThrow(() -> UserErrorException.notFound("API client", id));
        if (client.isRevoked()) {
            throw UserErrorException.conflict("API client " + id + " is already revoked");
        }
        if (client.getScopes().contains(Scopes.PLATFORM_ADMIN) && !CurrentActor.holds(Scopes.PLATFORM_ADMIN)) {
            throw UserErrorException.forbidden(
                    "only a platform admin revokes a client holding " + Scopes.PLATFORM_ADMIN);
        }
        client.revoke(Instant.now(clock));
        audit.record("apiClient.revoke", "ApiClient", id.toString(), Map.of("clientId", client.getClientId()));
        return client;
    }

    private static Set<String> grantableScopes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw UserErrorException.invalid("scopes", "name at least one scope");
        }
        var grantable = new TreeSet<>(Scopes.TENANT_SCOPES);
        if (Tenancy.current().equals(TenantId.PLATFORM)) {
            grantable.add(Scopes.PLATFORM_ADMIN);
        }
        var granted = new LinkedHashSet<String>();
        for (var scope : requested) {
            if (!grantable.contains(scope)) {
                throw UserErrorException.invalid("scopes", "unknown scope " + scope + "; grantable: " + grantable);
            }
            if (scope.equals(Scopes.PLATFORM_ADMIN) && !CurrentActor.holds(Scopes.PLATFORM_ADMIN)) {
                // tenant:admin administers a tenant; it does not make platform admins.
                throw UserErrorException.forbidden("only a platform admin grants " + Scopes.PLATFORM_ADMIN);
            }
            granted.add(scope);
        }
        return granted;
    }

    /** A new client and its secret, shown once. */
    public record CreatedApiClient(ApiClient client, String clientSecret) {}
}
