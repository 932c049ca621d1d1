package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

class TransientClientCredentialsAuthorizationsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final TransientClientCredentialsAuthorizations store = new TransientClientCredentialsAuthorizations(clock);
    private final RegisteredClient portal = RegisteredClient.withId("portal")
            .clientId("venti-portal")
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("http://127.0.0.1/callback")
            .build();

    @Test
    void aSignInIsKeptWhileItsAccessTokenServesAndForgottenAfter() {
        var signIn = signedIn("alice", Duration.ofHours(1));
        store.save(signIn);
        assertThat(store.findById(signIn.getId())).isNotNull();

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        store.save(signedIn("bob", Duration.ofHours(1)));

        assertThat(store.findById(signIn.getId()))
                .as("expired, gone at the next save")
                .isNull();
    }

    @Test
    void clientCredentialsAreNeverKept() {
        var machine = OAuth2Authorization.withRegisteredClient(portal)
                .id(UUID.randomUUID().toString())
                .principalName("machine")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .build();

        store.save(machine);

        assertThat(store.findById(machine.getId())).isNull();
    }

    private OAuth2Authorization signedIn(String who, Duration lifetime) {
        return OAuth2Authorization.withRegisteredClient(portal)
                .id(UUID.randomUUID().toString())
                .principalName(who)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .accessToken(new OAuth2AccessToken(
                        OAuth2AccessToken.TokenType.BEARER,
                        "token-of-" + who,
                        clock.instant(),
                        clock.instant().plus(lifetime)))
                .build();
    }
}
