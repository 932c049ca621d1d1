package io.ventiapi.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Each kind of identity produces the credentials the target expects, and tokens are fetched again when stale. */
class IdentitySessionTest {

    private HttpServer server;
    private TargetClient target;
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", ex -> {
            try (ex) {
                tokenRequests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                // expires_in 30 is inside the 30 s refresh margin: every use fetches a fresh token.
                respond(ex, 200, "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":30}");
            }
        });
        server.createContext("/plain-token", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                respond(ex, 200, "pl41nT0kenValue");
            }
        });
        server.createContext("/login", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("\"email\":\"alice@example.com\"") && body.contains("\"password\":\"pw\"")) {
                    respond(ex, 200, "{\"data\":{\"user\":\"alice\",\"auth_token\":\"abc\"}}");
                } else {
                    respond(ex, 401, "{}");
                }
            }
        });
        server.createContext("/form-login", ex -> {
            try (ex) {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = "application/x-www-form-urlencoded".equals(type) && body.equals("login=alice&pass=p%26w");
                respond(ex, ok ? 200 : 401, ok ? "{\"token\":\"f0rm\"}" : "{}");
            }
        });
        server.createContext("/session", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("Set-Cookie", "JSESSIONID=s3ss10n; Path=/; HttpOnly");
                respond(ex, 200, "{\"welcome\":\"alice\"}");
            }
        });
        server.start();
        target = new TargetClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), ExecutionLimits.defaults());
    }

    @AfterEach
    void stop() {
        target.close();
        server.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Test
    void fetchesAClientCredentialsTokenAndFetchesAgainWhenItExpires() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse(
                        "type=oauth2,token-url=/oauth/token,client-id=scanner,client-secret=s3cret,scope=read"),
                target);

        assertThat(session.credentials().headers()).containsEntry("Authorization", "Bearer token-1");
        assertThat(session.credentials().bearerToken()).isEqualTo("token-2");
        assertThat(tokenRequests.getFirst())
                .contains("grant_type=client_credentials", "client_id=scanner", "client_secret=s3cret", "scope=read");
    }

    @Test
    void aTargetThatKeepsRejectingRenewedTokensGetsNoMoreUntilItAcceptsOne() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse("type=oauth2,token-url=/oauth/token,client-id=scanner,client-secret=s3cret"),
                target);
        session.credentials();

        for (int i = 0; i < IdentitySession.MAX_USELESS_RENEWALS; i++) {
            assertThat(session.invalidate()).as("rejection %d renews", i).isTrue();
            session.renewalDidNotHelp();
        }
        assertThat(session.invalidate())
                .as("the target refuses the identity, not its token")
                .isFalse();

        session.accepted();
        assertThat(session.invalidate())
                .as("a request accepted since: worth renewing again")
                .isTrue();
    }

    @Test
    void anIdentityKnowsItsSecretsAndTheTokensItFetchedButNotItsUserName() {
        IdentitySession oauth = new IdentitySession(
                IdentityParser.parse("type=oauth2,token-url=/oauth/token,client-id=scanner,client-secret=s3cret"),
                target);
        oauth.credentials();
        IdentitySession fresh = oauth.fresh();
        fresh.credentials();

        assertThat(oauth.secrets()).contains("s3cret", "token-1", "token-2").doesNotContain("scanner");

        IdentitySession login = new IdentitySession(
                IdentityParser.parse("type=login,path=/login,user-field=email,username=alice@example.com,password=pw"),
                target);
        login.credentials();
        // The token it got and its password (evidence redaction leaves one too short alone); not its user name.
        assertThat(login.secrets()).contains("abc", "pw").doesNotContain("alice@example.com");
    }

    @Test
    void aTokenResponseThatIsNotJsonIsRefusedWithoutQuotingIt() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse("type=oauth2,token-url=/plain-token,client-id=scanner,client-secret=s3cret"),
                target);

        assertThatThrownBy(session::credentials)
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageEndingWith("/plain-token answered with no JSON")
                .message()
                .doesNotContain("pl41nT0kenValue");
    }

    @Test
    void logsInAndFindsTheTokenInTheResponse() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse("type=login,path=/login,user-field=email,username=alice@example.com,password=pw"),
                target);

        assertThat(session.credentials().bearerToken()).isEqualTo("abc");
    }

    @Test
    void usesTheSessionCookieWhenALoginReturnsNoToken() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse("type=login,path=/session,username=alice,password=pw"), target);

        assertThat(session.credentials().cookies()).containsEntry("JSESSIONID", "s3ss10n");
        assertThat(session.credentials().bearerToken()).isNull();
    }

    @Test
    void sendsTokensInTheConfiguredHeaderAndScheme() {
        Credentials credentials = new IdentitySession(
                        IdentityParser.parse("type=bearer,token=t0k,header=X-Access-Token,scheme="), target)
                .credentials();

        assertThat(credentials.headers()).containsExactly(Map.entry("X-Access-Token", "t0k"));
        assertThat(credentials.withToken("other").headers()).containsExactly(Map.entry("X-Access-Token", "other"));
    }

    @Test
    void logsInWithAnHtmlFormWhenAsked() {
        IdentitySession session = new IdentitySession(
                IdentityParser.parse(
                        "type=login,path=/form-login,format=form,user-field=login,username=alice,password-field=pass,password=p&w"),
                target);

        assertThat(session.credentials().bearerToken()).isEqualTo("f0rm");
    }

    @Test
    void explainsARejectedLogin() {
        IdentitySession session =
                new IdentitySession(IdentityParser.parse("type=login,path=/login,username=bob,password=no"), target);

        assertThatThrownBy(session::credentials)
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("login at /login answered HTTP 401");
    }

    @Test
    void putsApiKeysWhereTheyBelong() {
        PlannedOperation op =
                new PlannedOperation("ping", "GET", "/ping", List.of(), null, List.of(), List.of(), List.of());
        SynthesizedRequest request =
                new SynthesizedRequest(op, Map.of(), Map.of("q", "a b"), Map.of(), Map.of(), null, null);

        ProbeRequest inQuery = ScanContext.toProbe(
                request,
                new IdentitySession(IdentityParser.parse("type=apikey,in=query,name=api_key,value=k1"), target)
                        .credentials());
        ProbeRequest inCookie = ScanContext.toProbe(
                request,
                new IdentitySession(IdentityParser.parse("type=apikey,in=cookie,name=sid,value=k2"), target)
                        .credentials());
        ProbeRequest inHeader = ScanContext.toProbe(
                request,
                new IdentitySession(IdentityParser.parse("type=apikey,name=X-API-Key,value=k3"), target).credentials());
        ProbeRequest basic = ScanContext.toProbe(
                request,
                new IdentitySession(IdentityParser.parse("type=basic,username=alice,password=p\\,w"), target)
                        .credentials());

        assertThat(inQuery.pathAndQuery()).isEqualTo("/ping?q=a+b&api_key=k1");
        assertThat(inCookie.header("Cookie")).isEqualTo("sid=k2");
        assertThat(inHeader.header("X-API-Key")).isEqualTo("k3");
        assertThat(basic.header("Authorization")).isEqualTo("Basic YWxpY2U6cCx3");
    }

    @Test
    void parsesIdentitiesStrictly() {
        assertThatThrownBy(() -> IdentityParser.parse("type=apikey,in=body,name=k,value=v"))
                .hasMessageContaining("header, query or cookie");
        assertThatThrownBy(() -> IdentityParser.parse("token=abc")).hasMessageContaining("has no type=");
        assertThatThrownBy(() -> IdentityParser.parse("type=bearer,oops")).hasMessageContaining("is not key=value");
    }

    @Test
    void findsTokensUnderUnusualNames() {
        JsonMapper json = JsonMapper.builder().build();

        assertThat(IdentitySession.findToken(
                        json.readTree("{\"result\":{\"jwtToken\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\"}}")))
                .isEqualTo("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
        assertThat(IdentitySession.findToken(json.readTree("{\"myTokenValue\":\"opaque\"}")))
                .isEqualTo("opaque");
    }
}
