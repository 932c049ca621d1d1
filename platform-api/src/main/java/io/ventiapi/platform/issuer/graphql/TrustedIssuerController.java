package io.ventiapi.platform.issuer.graphql;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.issuer.TrustedIssuer;
import io.ventiapi.platform.issuer.TrustedIssuerService;
import java.util.List;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class TrustedIssuerController {

    private final TrustedIssuerService issuers;

    TrustedIssuerController(TrustedIssuerService issuers) {
        this.issuers = issuers;
    }

    @QueryMapping
    Window<TrustedIssuer> trustedIssuers(ScrollSubrange subrange) {
        return issuers.list(Paging.position(subrange), Paging.limit(subrange));
    }

    @MutationMapping
    TrustedIssuerPayload addTrustedIssuer(@Argument AddTrustedIssuerInput input) {
        return Payloads.attempt(
                () -> new TrustedIssuerPayload(
                        issuers.add(input.issuerUri(), input.jwkSetUri(), input.audience(), input.defaultRole()),
                        List.of()),
                error -> new TrustedIssuerPayload(null, List.of(error)));
    }

    @MutationMapping
    RemoveTrustedIssuerPayload removeTrustedIssuer(@Argument RemoveTrustedIssuerInput input) {
        return Payloads.attempt(
                () -> {
                    issuers.remove(Ids.uuid(input.id(), "trusted issuer"));
                    return new RemoveTrustedIssuerPayload(input.id(), List.of());
                },
                error -> new RemoveTrustedIssuerPayload(null, List.of(error)));
    }

    record AddTrustedIssuerInput(String issuerUri, String jwkSetUri, String audience, Role defaultRole) {}

    record TrustedIssuerPayload(TrustedIssuer trustedIssuer, List<UserError> errors) {}

    record RemoveTrustedIssuerInput(String id) {}

    record RemoveTrustedIssuerPayload(String removedId, List<UserError> errors) {}
}
