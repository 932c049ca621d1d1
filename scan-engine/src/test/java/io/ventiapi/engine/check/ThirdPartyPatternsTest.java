package io.ventiapi.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEngine;
import io.ventiapi.engine.ScanOptions;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.ScanRequest;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.spec.SpecLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shapes of a third-party deliberately vulnerable API (VAmPI, see docs/engine/third-party.md) that the test API
 * does not have: a document that declares no security although operations check tokens, a GET that rebuilds the
 * database, a password change that takes the account from the path, a login that answers 200 to wrong passwords,
 * and an e-mail validation whose regular expression backtracks exponentially (each 2 more letters 4x slower, so
 * a run of 40 letters would stall the server for hours).
 */
class ThirdPartyPatternsTest {

    @TempDir
    Path workDir;

    @Test
    void findsThePasswordTakeoverAndTheRedosWithoutFreezingOrResettingTheTarget() throws Exception {
        try (MiniApi api = new MiniApi(true)) {
            List<Finding> findings = scan(api);

            assertThat(findings)
                    .anyMatch(f -> f.ruleId().equals("access.other-user-password")
                            && f.pathTemplate().equals("/users/v1/{username}/password"));
            assertThat(findings)
                    .anyMatch(f -> f.ruleId().equals("resource.redos") && "query:email".equals(f.parameter()));
            assertThat(api.longestRun.get())
                    .as("the longest run of letters sent: just past the first slow one, never 40")
                    .isLessThanOrEqualTo(28);
            assertThat(api.resets.get()).as("calls of GET /createdb").isZero();
            assertThat(api.passwords).as("passwords after the scan").isEqualTo(MiniApi.ORIGINAL);
        }
    }

    @Test
    void reportsNeitherOnTheHardenedVariantAndLeavesEveryPasswordAsItWas() throws Exception {
        try (MiniApi api = new MiniApi(false)) {
            List<Finding> findings = scan(api);

            assertThat(findings)
                    .noneMatch(f -> f.ruleId().equals("access.other-user-password")
                            || f.ruleId().equals("resource.redos")
                            || f.ruleId().startsWith("injection."));
            assertThat(api.resets.get()).as("calls of GET /createdb").isZero();
            // The hardened API changes the caller's own password whatever the path says: the scan puts it back.
            assertThat(api.passwords).as("passwords after the scan").isEqualTo(MiniApi.ORIGINAL);
        }
    }

    private List<Finding> scan(MiniApi api) throws IOException {
        Path spec = workDir.resolve("mini.yaml");
        Files.writeString(spec, MiniApi.SPEC);
        var plan = new OperationPlanner().plan(new SpecLoader().load(spec.toString()));
        List<Identity> identities = List.of(
                new Identity.LoginFlow(
                        "alice", "POST", "/users/v1/login", Map.of("username", "alice", "password", "alice-pw"), null),
                new Identity.LoginFlow(
                        "bob", "POST", "/users/v1/login", Map.of("username", "bob", "password", "bob-pw"), null));
        ScanRequest request = new ScanRequest(
                "third-party-patterns",
                plan,
                api.baseUri(),
                identities,
                ScanProfile.STANDARD,
                new ExecutionLimits(4, 0, 5_000, Duration.ofMinutes(2), Duration.ofSeconds(10)),
                null,
                false,
                ScanOptions.defaults().withIdentityRoles(Map.of("alice", "user", "bob", "user")));
        ScanResult result = new ScanEngine(BuiltInChecks.all()).run(request, event -> {});
        result.findings()
                .forEach(f -> System.out.println(
                        "found " + f.ruleId() + " " + f.method() + " " + f.pathTemplate() + " " + f.parameter()));
        return result.findings();
    }

    /** The shapes above, in a few lines of JDK HTTP server. */
    static final class MiniApi implements AutoCloseable {

        static final Map<String, String> ORIGINAL = Map.of("alice", "alice-pw", "bob", "bob-pw");
        static final String SPEC = """
                openapi: 3.0.1
                info: {title: mini, version: '1'}
                paths:
                  /createdb:
                    get:
                      operationId: populate_db
                      responses: {'200': {description: database rebuilt}}
                  /users/v1:
                    get:
                      operationId: list_users
                      responses: {'200': {description: users}}
                  /users/v1/login:
                    post:
                      operationId: login_user
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                username: {type: string, example: alice}
                                password: {type: string, example: alice-pw}
                      responses: {'200': {description: logged in, or not}}
                  /users/v1/{username}/password:
                    put:
                      operationId: update_password
                      parameters:
                        - {name: username, in: path, required: true, schema: {type: string, example: alice}}
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                password: {type: string, example: pass4}
                      responses: {'204': {description: changed}}
                  /check:
                    get:
                      operationId: check_email
                      parameters:
                        - {name: email, in: query, required: true, schema: {type: string, example: a@b.io}}
                      responses: {'200': {description: checked}}
                """;
        private static final Pattern RUN = Pattern.compile("[A-Za-z0-9]+");

        final Map<String, String> passwords = new ConcurrentHashMap<>(ORIGINAL);
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final AtomicInteger resets = new AtomicInteger();
        final AtomicInteger longestRun = new AtomicInteger();
        private final boolean vulnerable;
        private final HttpServer server;

        MiniApi(boolean vulnerable) throws IOException {
            this.vulnerable = vulnerable;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        URI baseUri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String method = ex.getRequestMethod();
                if (method.equals("GET") && path.equals("/createdb")) {
                    resets.incrementAndGet();
                    respond(ex, 200, "{\"message\": \"Database populated.\"}");
                } else if (method.equals("GET") && path.equals("/users/v1")) {
                    respond(ex, 200, "{\"users\": [{\"username\": \"alice\"}, {\"username\": \"bob\"}]}");
                } else if (method.equals("POST") && path.equals("/users/v1/login")) {
                    String user = field(body, "username");
                    if (user != null
                            && field(body, "password") != null
                            && field(body, "password").equals(passwords.get(user))) {
                        String token = "tok-" + UUID.randomUUID();
                        tokens.put(token, user);
                        respond(ex, 200, "{\"status\": \"success\", \"auth_token\": \"" + token + "\"}");
                    } else {
                        respond(ex, 200, "{\"status\": \"fail\", \"message\": \"Username or Password Incorrect!\"}");
                    }
                } else if (method.equals("PUT") && path.matches("/users/v1/[^/]+/password")) {
                    String caller = caller(ex);
                    String named = URLDecoder.decode(path.split("/")[3], StandardCharsets.UTF_8);
                    String password = field(body, "password");
                    if (caller == null) {
                        respond(ex, 401, "{\"status\": \"fail\", \"message\": \"Invalid token\"}");
                    } else if (password == null || password.isEmpty()) {
                        respond(ex, 400, "{\"status\": \"fail\", \"message\": \"Malformed Data\"}");
                    } else {
                        String account = vulnerable ? named : caller;
                        if (passwords.replace(account, password) == null) {
                            respond(ex, 400, "{\"status\": \"fail\", \"message\": \"User Not Found\"}");
                        } else {
                            ex.sendResponseHeaders(204, -1);
                        }
                    }
                } else if (method.equals("GET") && path.equals("/check")) {
                    String query = ex.getRequestURI().getQuery();
                    String email = query == null
                            ? ""
                            : URLDecoder.decode(query.replaceFirst("^email=", ""), StandardCharsets.UTF_8);
                    int run = 0;
                    Matcher m = RUN.matcher(email);
                    while (m.find()) {
                        run = Math.max(run, m.group().length());
                    }
                    longestRun.accumulateAndGet(run, Math::max);
                    if (vulnerable && !email.contains("@") && run >= 22) {
                        // 4x per 2 letters from 22 on: 300 ms at 22-25, 2.5 s at 26 and more (capped here).
                        sleep(run >= 26 ? 2_500 : 300);
                    }
                    respond(ex, 200, "{\"valid\": " + email.matches("[^@\\s]+@[^@\\s]+\\.[a-z]{2,}") + "}");
                } else {
                    respond(ex, 404, "{\"status\": \"fail\", \"message\": \"not found\"}");
                }
            }
        }

        private String caller(HttpExchange ex) {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            return header == null || !header.startsWith("Bearer ") ? null : tokens.get(header.substring(7));
        }

        private static String field(String json, String name) {
            Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(json);
            return m.find() ? m.group(1) : null;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void respond(HttpExchange ex, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
