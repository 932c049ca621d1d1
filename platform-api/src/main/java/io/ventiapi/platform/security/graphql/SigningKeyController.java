package io.ventiapi.platform.security.graphql;

import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SigningKeyService.SigningKey;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class SigningKeyController {

    private final SigningKeyService keys;

    SigningKeyController(SigningKeyService keys) {
        this.keys = keys;
    }

    @QueryMapping
    List<SigningKey> signingKeys() {
        return keys.list();
    }

    @MutationMapping
    SigningKeyPayload rotateSigningKey() {
        return Payloads.attempt(
                () -> new SigningKeyPayload(keys.rotate(), List.of()),
                error -> new SigningKeyPayload(null, List.of(error)));
    }

    @MutationMapping
    RetireSigningKeyPayload retireSigningKey(@Argument RetireSigningKeyInput input) {
        return Payloads.attempt(
                () -> {
                    keys.retire(input.id());
                    return new RetireSigningKeyPayload(input.id(), List.of());
                },
                error -> new RetireSigningKeyPayload(null, List.of(error)));
    }

    record RetireSigningKeyInput(String id) {}

    record SigningKeyPayload(SigningKey signingKey, List<UserError> errors) {}

    record RetireSigningKeyPayload(String retiredId, List<UserError> errors) {}
}
