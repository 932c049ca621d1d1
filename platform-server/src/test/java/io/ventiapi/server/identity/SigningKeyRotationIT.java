package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Keys rotate without breaking live tokens; a retired key's tokens are refused. */
@VentiIntegrationTest
class SigningKeyRotationIT {

    private static final String VIEWER = "{ viewer { name } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    SigningKeyService keys;

    @Test
    void rotatingKeepsOldTokensValidAndRetiringRefusesThem() {
        var api = new Api(port);
        var acme = tenants.create("keys");
        var before = api.token(acme.clientId(), acme.clientSecret());
        var oldKid = kid(before);

        var rotated = SystemActor.call(TenantId.PLATFORM, keys::rotate);
        var after = api.token(acme.clientId(), acme.clientSecret());

        assertThat(kid(after)).isEqualTo(rotated.id()).isNotEqualTo(oldKid);
        assertThat(api.get("/oauth2/jwks").body()).contains(oldKid, rotated.id());
        assertThat(api.graphql(before, VIEWER).status()).isEqualTo(200);
        assertThat(api.graphql(after, VIEWER).status()).isEqualTo(200);

        SystemActor.run(TenantId.PLATFORM, () -> keys.retire(oldKid));

        assertThat(api.graphql(before, VIEWER).status()).isEqualTo(401);
        assertThat(api.graphql(after, VIEWER).status()).isEqualTo(200);
        assertThat(api.get("/oauth2/jwks").body()).doesNotContain(oldKid);
    }

    private static String kid(String jwt) {
        var header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return Api.JSON.readTree(header).get("kid").asString();
    }
}
