package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.Eventually;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.PortalBrowser;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** A person signs in at the login page and the portal client gets their token: authorization code + PKCE. */
@VentiIntegrationTest
class AuthorizationCodeFlowIT {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    TestTenants.Fixture acme;
    /** The admin's own password, chosen in place of their one-time password (PasswordChangeIT). */
    String adminPassword;

    PortalBrowser browser;

    @BeforeEach
    void setUp() {
        acme = tenants.create("people");
        adminPassword = tenants.choosesOwnPassword(acme.id(), acme.adminMemberId());
        browser = new PortalBrowser(port);
    }

    @Test
    void aMemberSignsInAndThePortalGetsATokenThatCarriesTheirTenantAndRole() throws Exception {
        var verifier = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("a-long-random-verifier-0123456789abcdef".getBytes());
        var code = signIn(acme.adminUsername(), adminPassword, challenge(verifier));

        var token = exchange(code, verifier);

        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json().has("id_token")).isTrue();
        var viewer = new Api(port)
                .graphql(token.json().get("access_token").asString(), "{ viewer { name kind roles tenant { id } } }");
        assertThat(viewer.data("viewer.kind").asString()).isEqualTo("USER");
        assertThat(viewer.data("viewer.name").asString()).isEqualTo(acme.adminUsername());
        assertThat(viewer.data("viewer.roles").toString()).isEqualTo("[\"TENANT_ADMIN\"]");
        assertThat(viewer.data("viewer.tenant.id").asString())
                .isEqualTo(acme.id().value());
        // The ID token tells the portal who signed in; it is no access token.
        assertThat(new Api(port)
                        .graphql(token.json().get("id_token").asString(), "{ viewer { name } }")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aMemberRemovedOrGivenAnotherRoleActsNoMoreWithTheTokensTheirSessionGets() throws Exception {
        var members = context.getBean(MemberService.class);
        var invited = SystemActor.call(
                acme.id(), () -> members.invite("eve-" + acme.id().value(), "Eve", Role.TENANT_ADMIN));
        var api = new Api(port);
        var verifier = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("eves-random-verifier-0123456789abcdefgh".getBytes());
        var evesPassword =
                tenants.choosesOwnPassword(acme.id(), invited.member().getId());
        var token = exchange(signIn(invited.member().getUsername(), evesPassword, challenge(verifier)), verifier)
                .json()
                .get("access_token")
                .asString();
        assertThat(api.graphql(token, "{ viewer { roles } }")
                        .data("viewer.roles")
                        .toString())
                .isEqualTo("[\"TENANT_ADMIN\"]");

        SystemActor.run(acme.id(), () -> members.setRole(invited.member().getId(), Role.VIEWER));

        var demoted = api.graphql(token, "{ viewer { roles } }");
        assertThat(demoted.status()).isEqualTo(401);
        assertThat(demoted.body()).contains("sign in again");
        // Their browser's session renews the token with the role they have now.
        var renewed = exchange(codeFromSession(verifier), verifier)
                .json()
                .get("access_token")
                .asString();
        assertThat(api.graphql(renewed, "{ viewer { roles } }")
                        .data("viewer.roles")
                        .toString())
                .isEqualTo("[\"VIEWER\"]");

        SystemActor.run(acme.id(), () -> members.remove(invited.member().getId()));

        assertThat(api.graphql(renewed, "{ viewer { roles } }").status()).isEqualTo(401);
        var afterRemoval = exchange(codeFromSession(verifier), verifier);
        assertThat(afterRemoval.status()).isEqualTo(400);
        assertThat(afterRemoval.body()).contains("invalid_grant").doesNotContain("access_token");
    }

    /** A code the browser's sign-in session gets without signing in again. */
    private String codeFromSession(String verifier) throws Exception {
        var renewed = authorize(challenge(verifier));
        return query(URI.create(renewed.headers().firstValue("Location").orElseThrow())
                        .getRawQuery())
                .get("code");
    }

    @Test
    void aCodeIsWorthNothingWithoutTheRightVerifier() throws Exception {
        var verifier = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("another-random-verifier-0123456789abcdef".getBytes());
        var code = signIn(acme.adminUsername(), adminPassword, challenge(verifier));

        var token = exchange(code, verifier + "x");

        assertThat(token.status()).isEqualTo(400);
        assertThat(token.body()).contains("invalid_grant");
    }

    @Test
    void aWrongPasswordIsSentBackToTheLoginPage() throws Exception {
        authorize(challenge("verifier-verifier-verifier-verifier-verifier"));
        var login = postLogin(acme.adminUsername(), "wrong-password");

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        var page = browser.get(PortalBrowser.location(login));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Invalid credentials", "name=\"password\"");
    }

    @Test
    void signInsAndWrongPasswordsAreInTheTenantsAuditLog() throws Exception {
        authorize(challenge("verifier-verifier-verifier-verifier-audited"));
        postLogin(acme.adminUsername(), "wrong-password");
        postLogin("nobody-" + acme.id().value(), "wrong-password");
        var signedIn = postLogin(acme.adminUsername(), adminPassword);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");

        var api = new Api(port);
        var token = api.token(acme.clientId(), acme.clientSecret());
        var expected = List.of(
                "member.signIn by " + acme.adminUsername() + " (USER) {} from 127.0.0.1",
                "member.signInFailed by login page (SYSTEM) {\"locked\":false} from 127.0.0.1");
        // A wrong password is written once it has been answered: wait for it, then nothing more.
        Eventually.waitFor(Duration.ofSeconds(30), () -> signIns(api, token).size() >= 2, () -> signIns(api, token));
        // The unknown name belongs to no tenant and is in no log.
        assertThat(signIns(api, token)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> signIns(Api api, String token) {
        var events = api.graphql(
                token, "{ auditEvents(first: 100) { edges { node { action actor actorType summary sourceIp } } } }");
        var seen = new java.util.ArrayList<String>();
        for (var edge : events.data("auditEvents.edges")) {
            var node = edge.get("node");
            if (node.get("action").asString().startsWith("member.signIn")) {
                seen.add(node.get("action").asString() + " by "
                        + node.get("actor").asString() + " ("
                        + node.get("actorType").asString() + ") "
                        + node.get("summary").asString() + " from "
                        + node.get("sourceIp").asString());
            }
        }
        return seen;
    }

    @Test
    void aUsernameGuessedAtTooOftenSignsInNoMoreEvenWithItsPassword() throws Exception {
        authorize(challenge("verifier-verifier-verifier-verifier-guess"));
        for (int i = 0; i < 10; i++) {
            // The form trims what it reads, and usernames ignore case: these are all the same username.
            var typed = switch (i % 3) {
                case 0 -> acme.adminUsername();
                case 1 -> acme.adminUsername() + " ";
                default -> acme.adminUsername().toUpperCase(Locale.ROOT);
            };
            var guess = postLogin(typed, "guess-" + i);
            assertThat(guess.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        }

        var right = postLogin(acme.adminUsername(), adminPassword);

        assertThat(right.statusCode()).isEqualTo(302);
        assertThat(right.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    @Test
    void aUsernameSpelledWithANonAsciiLookAlikeIsNoUsernameEvenWithItsPassword() throws Exception {
        // The database's lower() takes "İ" for "i" (C.UTF-8 and most collations); Java does not,
        // so guesses at such a spelling were counted apart from the name and never locked it.
        var lookAlike = acme.adminUsername().replaceFirst("i", "İ");
        assertThat(lookAlike).isNotEqualTo(acme.adminUsername());
        authorize(challenge("verifier-verifier-verifier-verifier-look-alike"));

        var login = postLogin(lookAlike, adminPassword);

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    @Test
    void passwordsAreStoredAsArgon2Hashes() throws Exception {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select password_hash from members where username = ?")) {
            statement.setString(1, acme.adminUsername());
            var rows = statement.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("{argon2}$argon2id$").doesNotContain(adminPassword);
        }
    }

    private String signIn(String username, String password, String challenge) {
        return browser.signIn(username, password, challenge);
    }

    private HttpResponse<String> authorize(String challenge) {
        return browser.authorize(challenge);
    }

    private HttpResponse<String> postLogin(String username, String password) {
        return browser.postLogin(username, password);
    }

    private Api.Response exchange(String code, String verifier) {
        return browser.exchange(code, verifier);
    }

    private static Map<String, String> query(String raw) {
        return PortalBrowser.query(raw);
    }

    private static String challenge(String verifier) {
        return PortalBrowser.challenge(verifier);
    }
}
