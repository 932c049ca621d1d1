package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.security.SecurityProperties;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.security.internal.CurrentPasswordCodes;
import io.ventiapi.platform.security.internal.MemberLogins;
import io.ventiapi.platform.security.internal.MemberPrincipal;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.PortalBrowser;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;

/**
 * A password someone else set (at an invitation, a tenant's creation or a reset) opens nothing but
 * the page where its member chooses their own: no code and no token is issued for them before.
 */
@VentiIntegrationTest
class PasswordChangeIT {

    private static final String INVITE = """
            mutation($input: InviteMemberInput!) { inviteMember(input: $input) {
              member { id username } initialPassword errors { code message } } }""";
    private static final String RESET = """
            mutation($input: ResetMemberPasswordInput!) { resetMemberPassword(input: $input) {
              member { id mustChangePassword } oneTimePassword errors { code message } } }""";
    private static final String RESET_ADMIN = """
            mutation($input: ResetTenantAdminPasswordInput!) { resetTenantAdminPassword(input: $input) {
              admin { id mustChangePassword } oneTimePassword errors { code message } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    TestTenants.Fixture acme;
    Api api;
    String admin;

    @BeforeEach
    void setUp() {
        acme = tenants.create("passwords");
        api = new Api(port);
        admin = api.token(acme.clientId(), acme.clientSecret());
    }

    @Test
    void anInvitedMemberGetsNoCodeUntilTheyChooseTheirOwnPasswordAndThenOnlyThatOneWorks() {
        var invited = invite("ann");
        var browser = new PortalBrowser(port);
        var verifier = PortalBrowser.verifier();
        assertThat(PortalBrowser.location(browser.authorize(PortalBrowser.challenge(verifier))))
                .endsWith("/login");

        var login = browser.postLogin(invited.username(), invited.password());

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(PortalBrowser.location(login)).endsWith("/password");
        // The authorization request, asked again before the change, gets no code: sign in first.
        var again = browser.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(again)).endsWith("/login");
        var page = browser.get("/password");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Choose your password", "name=\"newPassword\"", "name=\"repeatPassword\"");

        var changed = choose(browser, "a new password of ann's own");

        // The authorization request the sign-in began with goes on, and the portal gets its token.
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(PortalBrowser.location(changed)).contains("/oauth2/authorize");
        var token = browser.exchange(PortalBrowser.code(browser.get(PortalBrowser.location(changed))), verifier);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(api.graphql(token.json().get("access_token").asString(), "{ viewer { name } }")
                        .data("viewer.name")
                        .asString())
                .isEqualTo(invited.username());

        var withOneTime = new PortalBrowser(port);
        withOneTime.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(withOneTime.postLogin(invited.username(), invited.password())))
                .endsWith("/login?error");
        var withOwn = new PortalBrowser(port);
        var own = PortalBrowser.verifier();
        var code = withOwn.signIn(invited.username(), "a new password of ann's own", PortalBrowser.challenge(own));
        assertThat(withOwn.exchange(code, own).status()).isEqualTo(200);

        assertThat(eventsOn(invited.id()))
                .containsSubsequence(
                        "member.invite by " + acme.clientId(),
                        "member.changePassword by " + invited.username() + " {\"oneTime\":true}",
                        "member.signIn by " + invited.username(),
                        "member.signIn by " + invited.username());
    }

    @Test
    void badNewPasswordsAreRefusedSayingWhyAndOpenNothing() {
        var invited = invite("bob");
        var browser = new PortalBrowser(port);
        var verifier = PortalBrowser.verifier();
        browser.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(browser.postLogin(invited.username(), invited.password())))
                .endsWith("/password");

        assertRefused(browser, "short", "short", "at least 12 characters");
        assertRefused(browser, "long enough password", "long enough passwort", "two new passwords differ");
        assertRefused(browser, invited.password(), invited.password(), "differ from your current one");
        assertRefused(browser, "1" + invited.username() + "1", "1" + invited.username() + "1", "your username");
        assertRefused(browser, "abababababababab", "abababababababab", "at least 5 different characters");
        // Without the page's CSRF token, nothing is looked at.
        var forged = browser.post(
                "/password", Map.of("newPassword", "a forged password!", "repeatPassword", "a forged password!"));
        assertThat(forged.statusCode()).isEqualTo(403);

        assertThat(PortalBrowser.location(browser.authorize(PortalBrowser.challenge(verifier))))
                .endsWith("/login");
        assertThat(eventsOn(invited.id())).noneMatch(event -> event.startsWith("member.changePassword"));
        var stillOneTime = new PortalBrowser(port);
        stillOneTime.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(stillOneTime.postLogin(invited.username(), invited.password())))
                .endsWith("/password");
    }

    @Test
    void aResetPasswordIsOneTimeAgainAndEndsWhatTheOldOneSignedIn() throws InterruptedException {
        var invited = invite("cat");
        var session = new PortalBrowser(port);
        var verifier = PortalBrowser.verifier();
        session.authorize(PortalBrowser.challenge(verifier));
        session.postLogin(invited.username(), invited.password());
        var signedIn = choose(session, "cat's chosen password");
        var issued = session.exchange(PortalBrowser.code(session.get(PortalBrowser.location(signedIn))), verifier);
        assertThat(issued.status()).isEqualTo(200);
        var accessToken = issued.json().get("access_token").asString();
        assertThat(api.graphql(accessToken, "{ viewer { name } }").status()).isEqualTo(200);
        // A code the session got before the reset, not yet exchanged.
        var pending = PortalBrowser.verifier();
        var earlyCode = PortalBrowser.code(session.authorize(PortalBrowser.challenge(pending)));

        Thread.sleep(1000); // into the next second: a token issued in the reset's own second is kept
        var reset = api.graphql(admin, RESET, Map.of("input", Map.of("id", invited.id())));

        assertThat(reset.data("resetMemberPassword.errors")).as(reset.body()).isEmpty();
        assertThat(reset.data("resetMemberPassword.member.mustChangePassword").asBoolean())
                .isTrue();
        var oneTime = reset.data("resetMemberPassword.oneTimePassword").asString();
        // What the old password signed in gets no code and no token any more, and the token it
        // got is refused from the next request, not when its hour runs out.
        assertPasswordChangedSince(accessToken);
        assertThat(PortalBrowser.location(session.authorize(PortalBrowser.challenge(verifier))))
                .endsWith("/login");
        var exchanged = session.exchange(earlyCode, pending);
        assertThat(exchanged.status()).isEqualTo(400);
        assertThat(exchanged.body()).contains("invalid_grant").doesNotContain("access_token");
        // The old password opens nothing; the new one-time password only the change page.
        var old = new PortalBrowser(port);
        old.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(old.postLogin(invited.username(), "cat's chosen password")))
                .endsWith("/login?error");
        var next = new PortalBrowser(port);
        next.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(next.postLogin(invited.username(), oneTime)))
                .endsWith("/password");
        assertThat(PortalBrowser.location(choose(next, "cat's second password")))
                .contains("/oauth2/authorize");

        assertThat(eventsOn(invited.id()))
                .containsSubsequence(
                        "member.changePassword by " + invited.username() + " {\"oneTime\":true}",
                        "member.resetPassword by " + acme.clientId(),
                        "member.changePassword by " + invited.username() + " {\"oneTime\":true}");
    }

    @Test
    void noCodeIsMadeForAOneTimePasswordNorASignInWhosePasswordWasSetSinceWhateverTheWayIn() {
        // The authorization endpoint never sees such a sign-in (the tests above): where codes are
        // made, it is refused all the same.
        var invited = invite("gus");
        var logins = context.getBean(MemberLogins.class);
        var codes = new CurrentPasswordCodes(logins);
        var oneTime = codeRequest(logins.find(invited.username()).orElseThrow());
        assertThatThrownBy(() -> codes.generate(oneTime))
                .isInstanceOfSatisfying(
                        OAuth2AuthenticationException.class,
                        refused -> assertThat(refused.getError().getErrorCode())
                                .isEqualTo(OAuth2ErrorCodes.ACCESS_DENIED));
        tenants.choosesOwnPassword(acme.id(), UUID.fromString(invited.id()));
        var signedIn = codeRequest(logins.find(invited.username()).orElseThrow());
        assertThat(codes.generate(signedIn)).isNotNull();

        // The password changed elsewhere: in another browser, say.
        tenants.choosesOwnPassword(acme.id(), UUID.fromString(invited.id()));

        assertThatThrownBy(() -> codes.generate(signedIn))
                .isInstanceOfSatisfying(
                        OAuth2AuthenticationException.class,
                        refused -> assertThat(refused.getError().getErrorCode())
                                .isEqualTo(OAuth2ErrorCodes.ACCESS_DENIED));
    }

    /** What the authorization endpoint asks the code generator for a session signed in as {@code member}. */
    private OAuth2TokenContext codeRequest(MemberPrincipal member) {
        var signedIn = member.withoutPassword();
        return DefaultOAuth2TokenContext.builder()
                .registeredClient(context.getBean(RegisteredClientRepository.class)
                        .findByClientId(SecurityProperties.PORTAL_CLIENT_ID))
                .principal(UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities()))
                .tokenType(new OAuth2TokenType(OAuth2ParameterNames.CODE))
                .build();
    }

    @Test
    void aSignedInMemberChangesTheirPasswordKnowingTheirCurrentOne() throws InterruptedException {
        var invited = invite("dan");
        var browser = new PortalBrowser(port);
        var verifier = PortalBrowser.verifier();
        browser.authorize(PortalBrowser.challenge(verifier));
        browser.postLogin(invited.username(), invited.password());
        choose(browser, "dan's first own password");
        var elsewhere = new PortalBrowser(port);
        var other = PortalBrowser.verifier();
        var elsewhereToken = elsewhere
                .exchange(
                        elsewhere.signIn(
                                invited.username(), "dan's first own password", PortalBrowser.challenge(other)),
                        other)
                .json()
                .get("access_token")
                .asString();
        assertThat(api.graphql(elsewhereToken, "{ viewer { name } }").status()).isEqualTo(200);
        Thread.sleep(1000); // into the next second: a token issued in the change's own second is kept

        var page = browser.get("/password");
        assertThat(page.body()).contains("name=\"currentPassword\"", "name=\"newPassword\"");
        var wrong = browser.postForm(
                "/password",
                Map.of(
                        "currentPassword", "not dan's password",
                        "newPassword", "dan's second password",
                        "repeatPassword", "dan's second password"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("current password is wrong");
        var changed = browser.postForm(
                "/password",
                Map.of(
                        "currentPassword", "dan's first own password",
                        "newPassword", "dan's second password",
                        "repeatPassword", "dan's second password"));

        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(browser.get(PortalBrowser.location(changed)).body()).contains("Your password was changed");
        // This session goes on, with a new token; the one signed in elsewhere with the old password
        // gets no code, and its token is refused.
        assertPasswordChangedSince(elsewhereToken);
        var renewed =
                browser.exchange(PortalBrowser.code(browser.authorize(PortalBrowser.challenge(verifier))), verifier);
        assertThat(api.graphql(renewed.json().get("access_token").asString(), "{ viewer { name } }")
                        .data("viewer.name")
                        .asString())
                .isEqualTo(invited.username());
        assertThat(PortalBrowser.location(elsewhere.authorize(PortalBrowser.challenge(other))))
                .endsWith("/login");
        var old = new PortalBrowser(port);
        old.authorize(PortalBrowser.challenge(verifier));
        assertThat(PortalBrowser.location(old.postLogin(invited.username(), "dan's first own password")))
                .endsWith("/login?error");
        new PortalBrowser(port).signIn(invited.username(), "dan's second password", PortalBrowser.challenge(verifier));
        assertThat(eventsOn(invited.id()))
                .containsSubsequence(
                        "member.changePassword by " + invited.username() + " {\"oneTime\":true}",
                        "member.changePassword by " + invited.username() + " {\"oneTime\":false}");
    }

    @Test
    void aSignedOutVisitorOfThePasswordPageSignsInFirstAndComesBack() {
        var invited = invite("eli");
        var first = new PortalBrowser(port);
        first.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));
        first.postLogin(invited.username(), invited.password());
        choose(first, "eli's own password!");
        var browser = new PortalBrowser(port);
        // Where password managers look for it.
        assertThat(PortalBrowser.location(browser.get("/.well-known/change-password")))
                .endsWith("/password");

        var page = browser.get("/password");

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(PortalBrowser.location(page)).endsWith("/login");
        var login = browser.postLogin(invited.username(), "eli's own password!");
        assertThat(PortalBrowser.location(login)).contains("/password");
        assertThat(browser.get(PortalBrowser.location(login)).body()).contains("name=\"currentPassword\"");
    }

    @Test
    void aOneTimePasswordUnusedPastItsExpiryOpensNothing() throws Exception {
        var invited = invite("fay");
        expire(invited);
        var browser = new PortalBrowser(port);
        browser.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));

        var login = browser.postLogin(invited.username(), invited.password());

        // The login page would only say "Invalid credentials": the password page says why, once.
        assertThat(PortalBrowser.location(login)).endsWith("/password");
        var why = browser.get(PortalBrowser.location(login));
        assertThat(why.body()).contains("one-time password expired").doesNotContain("name=\"newPassword\"");
        assertThat(browser.get("/password").statusCode())
                .as("no change page either")
                .isEqualTo(302);
        assertThat(PortalBrowser.location(browser.authorize(PortalBrowser.challenge(PortalBrowser.verifier()))))
                .endsWith("/login");
    }

    @Test
    void aOneTimePasswordThatExpiresWhileItsChangePageIsOpenChangesNothing() throws Exception {
        var invited = invite("gil");
        var browser = new PortalBrowser(port);
        browser.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));
        assertThat(PortalBrowser.location(browser.postLogin(invited.username(), invited.password())))
                .endsWith("/password");

        expire(invited);
        var late = browser.postForm(
                "/password", Map.of("newPassword", "gil's late password", "repeatPassword", "gil's late password"));

        assertThat(late.statusCode()).isEqualTo(302);
        assertThat(browser.get(PortalBrowser.location(late)).body()).contains("one-time password expired");
        assertThat(eventsOn(invited.id())).noneMatch(event -> event.startsWith("member.changePassword"));
        var again = new PortalBrowser(port);
        again.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));
        assertThat(PortalBrowser.location(again.postLogin(invited.username(), "gil's late password")))
                .endsWith("/login?error");
    }

    @Test
    void aSignInMadeBeforeItsTenantWasSuspendedGetsNoCodeWhileItIs() {
        var invited = invite("hal");
        var session = new PortalBrowser(port);
        var verifier = PortalBrowser.verifier();
        session.authorize(PortalBrowser.challenge(verifier));
        session.postLogin(invited.username(), invited.password());
        choose(session, "hal's own password");
        var tenantService = context.getBean(TenantService.class);

        SystemActor.call(
                TenantId.PLATFORM, () -> tenantService.suspend(acme.id().value()));
        var whileSuspended = session.authorize(PortalBrowser.challenge(verifier));
        SystemActor.call(
                TenantId.PLATFORM, () -> tenantService.reactivate(acme.id().value()));

        assertThat(PortalBrowser.location(whileSuspended)).endsWith("/login");
        var code = session.signIn(invited.username(), "hal's own password", PortalBrowser.challenge(verifier));
        assertThat(session.exchange(code, verifier).status()).isEqualTo(200);
    }

    /** Moves a member's one-time password's expiry a minute into the past. */
    private static void expire(Invited invited) throws Exception {
        try (var owner = LocalDatabase.asOwner();
                var expire = owner.prepareStatement(
                        "update members set one_time_password_expires_at = now() - interval '1 minute' where id = ?")) {
            expire.setObject(1, UUID.fromString(invited.id()));
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void theOperatorResetsAFirstAdminsOneTimePasswordButNotOneTheyChose() {
        var client = operator(List.of(Scopes.PLATFORM_ADMIN, Scopes.TENANT_ADMIN));
        var operator = api.token(client.client().getClientId(), client.clientSecret());
        var input = Map.of("input", Map.of("tenantId", acme.id().value(), "username", acme.adminUsername()));

        var reset = api.graphql(operator, RESET_ADMIN, input);

        assertThat(reset.data("resetTenantAdminPassword.errors"))
                .as(reset.body())
                .isEmpty();
        var oneTime = reset.data("resetTenantAdminPassword.oneTimePassword").asString();
        var browser = new PortalBrowser(port);
        browser.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));
        assertThat(PortalBrowser.location(browser.postLogin(acme.adminUsername(), acme.adminPassword())))
                .endsWith("/login?error");
        assertThat(PortalBrowser.location(browser.postLogin(acme.adminUsername(), oneTime)))
                .endsWith("/password");
        choose(browser, "the boss's own passphrase");

        var refused = api.graphql(operator, RESET_ADMIN, input);

        assertResetRefused(refused);
        assertThat(eventsOn(acme.adminMemberId().toString()))
                .containsSubsequence(
                        "member.bootstrap by system",
                        "member.resetPassword by " + client.client().getClientId(),
                        "member.changePassword by " + acme.adminUsername() + " {\"oneTime\":true}");
    }

    @Test
    void theOperatorResetsNoAdminOfATenantWhoseAdminChoseTheirOwnPassword() {
        var client = operator(List.of(Scopes.PLATFORM_ADMIN));
        var operator = api.token(client.client().getClientId(), client.clientSecret());
        tenants.choosesOwnPassword(acme.id(), acme.adminMemberId());
        var second = "second-admin@" + acme.id().value() + ".test";
        var invited = api.graphql(admin, INVITE, Map.of("input", Map.of("username", second, "role", "TENANT_ADMIN")));
        assertThat(invited.data("inviteMember.errors")).as(invited.body()).isEmpty();

        // The second admin has not signed in yet: their password is one-time, as a first admin's.
        var refused = api.graphql(
                operator,
                RESET_ADMIN,
                Map.of("input", Map.of("tenantId", acme.id().value(), "username", second)));

        assertResetRefused(refused);
        var browser = new PortalBrowser(port);
        browser.authorize(PortalBrowser.challenge(PortalBrowser.verifier()));
        assertThat(PortalBrowser.location(browser.postLogin(
                        second, invited.data("inviteMember.initialPassword").asString())))
                .as("the invitation's password still works")
                .endsWith("/password");
    }

    /** An API client of the platform operators' tenant holding {@code scopes}. */
    private ApiClientService.CreatedApiClient operator(List<String> scopes) {
        return SystemActor.call(
                TenantId.PLATFORM, () -> context.getBean(ApiClientService.class).create("operator", scopes));
    }

    private static void assertResetRefused(Api.Response refused) {
        assertThat(refused.data("resetTenantAdminPassword.errors")
                        .get(0)
                        .get("code")
                        .asString())
                .as(refused.body())
                .isEqualTo("FORBIDDEN");
        assertThat(refused.data("resetTenantAdminPassword.oneTimePassword").isNull())
                .isTrue();
    }

    private HttpResponse<String> choose(PortalBrowser browser, String password) {
        var response = browser.postForm("/password", Map.of("newPassword", password, "repeatPassword", password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response;
    }

    private void assertPasswordChangedSince(String accessToken) {
        var refused = api.graphql(accessToken, "{ viewer { name } }");
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(refused.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(refused.json().path("errors").path(0).path("message").asString())
                .contains("password was set after the token was issued");
    }

    private static void assertRefused(PortalBrowser browser, String password, String repeated, String why) {
        var response = browser.postForm("/password", Map.of("newPassword", password, "repeatPassword", repeated));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(why).contains("name=\"newPassword\"");
    }

    private Invited invite(String name) {
        var username = name + "@" + acme.id().value() + ".test";
        var invited =
                api.graphql(admin, INVITE, Map.of("input", Map.of("username", username, "role", "SECURITY_ENGINEER")));
        assertThat(invited.data("inviteMember.errors")).as(invited.body()).isEmpty();
        return new Invited(
                invited.data("inviteMember.member.id").asString(),
                username,
                invited.data("inviteMember.initialPassword").asString());
    }

    /** The tenant's audit events about one member, oldest first: action, actor and summary. */
    private List<String> eventsOn(String memberId) {
        var events = api.graphql(
                admin,
                "{ auditEvents(first: 100, filter: {targetType: \"Member\"}) {"
                        + " edges { node { action actor targetId summary } } } }");
        var seen = new ArrayList<String>();
        for (var edge : events.data("auditEvents.edges")) {
            var node = edge.get("node");
            if (memberId.equals(node.get("targetId").asString())) {
                var summary = node.get("summary").asString();
                seen.add(node.get("action").asString() + " by "
                        + node.get("actor").asString()
                        + (node.get("action").asString().equals("member.changePassword") ? " " + summary : ""));
            }
        }
        return seen.reversed();
    }

    private record Invited(String id, String username, String password) {}
}
