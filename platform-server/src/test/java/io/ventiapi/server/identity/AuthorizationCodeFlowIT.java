package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.Eventually;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.LocalServicesInitializer;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** A person signs in at the login page and the portal client gets their token: authorization code + PKCE. */
@VentiIntegrationTest
class AuthorizationCodeFlowIT {

    private static final String REDIRECT = LocalServicesInitializer.ISSUER + "/login/oauth2/code/venti";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    TestTenants.Fixture acme;
    HttpClient browser;
    String base;

    @BeforeEach
    void setUp() {
        acme = tenants.create("people");
        browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        base = "http://127.0.0.1:" + port;
    }

    @Test
    void aMemberSignsInAndThePortalGetsATokenThatCarriesTheirTenantAndRole() throws Exception {
        var verifier = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("a-long-random-verifier-0123456789abcdef".getBytes());
        var code = signIn(acme.adminUsername(), acme.adminPassword(), challenge(verifier));

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
        var token = exchange(
                        signIn(invited.member().getUsername(), invited.initialPassword(), challenge(verifier)),
                        verifier)
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
        var code = signIn(acme.adminUsername(), acme.adminPassword(), challenge(verifier));

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
    }

    @Test
    void signInsAndWrongPasswordsAreInTheTenantsAuditLog() throws Exception {
        authorize(challenge("verifier-verifier-verifier-verifier-audited"));
        postLogin(acme.adminUsername(), "wrong-password");
        postLogin("nobody-" + acme.id().value(), "wrong-password");
        var signedIn = postLogin(acme.adminUsername(), acme.adminPassword());
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

        var right = postLogin(acme.adminUsername(), acme.adminPassword());

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

        var login = postLogin(lookAlike, acme.adminPassword());

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
            assertThat(rows.getString(1)).startsWith("{argon2}$argon2id$").doesNotContain(acme.adminPassword());
        }
    }

    private String signIn(String username, String password, String challenge) throws Exception {
        var first = authorize(challenge);
        assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        var login = postLogin(username, password);
        assertThat(login.statusCode()).isEqualTo(302);
        var resume = login.headers().firstValue("Location").orElseThrow();
        assertThat(resume).contains("/oauth2/authorize");

        var redirect = get(resume.startsWith("http") ? resume : base + resume);
        assertThat(redirect.statusCode()).isEqualTo(302);
        var location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT);
        var query = query(location.getRawQuery());
        assertThat(query.get("state")).isEqualTo("st4te");
        return query.get("code");
    }

    private HttpResponse<String> authorize(String challenge) throws Exception {
        return get(base + "/oauth2/authorize?response_type=code&client_id=venti-portal&scope=openid%20profile"
                + "&state=st4te&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256");
    }

    private HttpResponse<String> postLogin(String username, String password) throws Exception {
        var page = get(base + "/login");
        var matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as("CSRF token on the login page").isTrue();
        return browser.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form(Map.of("username", username, "password", password, "_csrf", matcher.group(1))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Api.Response exchange(String code, String verifier) throws Exception {
        var form = new LinkedHashMap<String, String>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("client_id", "venti-portal");
        form.put("code_verifier", verifier);
        var response = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Api.Response(response.statusCode(), response.body(), response);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "text/html")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static Map<String, String> query(String raw) {
        var values = new LinkedHashMap<String, String>();
        for (var pair : raw.split("&")) {
            var parts = pair.split("=", 2);
            values.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String challenge(String verifier) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
