package io.ventiapi.platform.apiclient.graphql;

import io.ventiapi.platform.apiclient.ApiClient;
import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import java.util.List;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class ApiClientController {

    private final ApiClientService clients;

    ApiClientController(ApiClientService clients) {
        this.clients = clients;
    }

    @QueryMapping
    Window<ApiClient> apiClients(ScrollSubrange subrange) {
        return clients.list(Paging.position(subrange), Paging.limit(subrange));
    }

    @MutationMapping
    CreateApiClientPayload createApiClient(@Argument CreateApiClientInput input) {
        return Payloads.attempt(
                () -> {
                    var created = clients.create(input.name(), input.scopes());
                    return new CreateApiClientPayload(created.client(), created.clientSecret(), List.of());
                },
                error -> new CreateApiClientPayload(null, null, List.of(error)));
    }

    @MutationMapping
    ApiClientPayload revokeApiClient(@Argument RevokeApiClientInput input) {
        return Payloads.attempt(
                () -> new ApiClientPayload(clients.revoke(Ids.uuid(input.id(), "API client")), List.of()),
                error -> new ApiClientPayload(null, List.of(error)));
    }

    record CreateApiClientInput(String name, List<String> scopes) {}

    record CreateApiClientPayload(ApiClient apiClient, String clientSecret, List<UserError> errors) {}

    record RevokeApiClientInput(String id) {}

    record ApiClientPayload(ApiClient apiClient, List<UserError> errors) {}
}
