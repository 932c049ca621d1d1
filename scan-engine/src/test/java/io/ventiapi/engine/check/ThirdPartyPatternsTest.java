package io.ventiapi.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.demotarget.TestJwt;
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
import java.time.Instant;
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
 * does not have: a document that declares no security although operations check tokens (HS256 JWTs, signed with
 * "random" in the vulnerable variant), a GET that rebuilds the database, a password change that takes the account
 * from the path, a login that answers 200 to wrong passwords, books named by a title the client chooses and
 * created without any id in the answer, a registration that answers only "registered" but binds {@code admin}
 * (visible in a debug listing), and an e-mail validation whose regular expression backtracks exponentially (each
 * 2 more letters 4x slower, so a run of 40 letters would stall the server for hours).
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
            assertThat(findings)
                    .anyMatch(f ->
                            f.ruleId().equals("access.bola") && f.pathTemplate().equals("/books/v1/{book_title}"));
            assertThat(findings)
                    .anyMatch(f -> f.ruleId().equals("property.mass-assignment") && "body:admin".equals(f.parameter()));
            assertThat(findings).anyMatch(f -> f.ruleId().equals("auth.jwt-weak-secret"));
            assertThat(findings)
                    .as("the book's secret is its owner's own content, not a leaked credential")
                    .noneMatch(f -> f.ruleId().equals("exposure.sensitive-field"));
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
                            || f.ruleId().startsWith("injection.")
                            || f.ruleId().startsWith("access.")
                            || f.ruleId().startsWith("auth.jwt")
                            || f.ruleId().equals("property.mass-assignment")
                            || f.ruleId().equals("exposure.sensitive-field"));
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
                  /users/v1/_debug:
                    get:
                      operationId: debug
                      responses: {'200': {description: all details of all users}}
                  /users/v1/register:
                    post:
                      operationId: register_user
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                username: {type: string, example: John.Doe}
                                password: {type: string, example: password123}
                                email: {type: string, example: user@tempmail.com}
                      responses: {'200': {description: registered}}
                  /books/v1:
                    get:
                      operationId: get_all_books
                      responses: {'200': {description: all books}}
                    post:
                      operationId: add_new_book
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                book_title: {type: string, example: book99}
                                secret: {type: string, example: pass1secret}
                      responses: {'200': {description: added}}
                  /books/v1/{book_title}:
                    get:
                      operationId: get_by_title
                      parameters:
                        - {name: book_title, in: path, required: true, schema: {type: string, example: bookTitle77}}
                      responses: {'200': {description: the book with its secret}, '404': {description: not found}}
                  /check:
                    get:
                      operationId: check_email
                      parameters:
                        - {name: email, in: query, required: true, schema: {type: string, example: a@b.io}}
                      responses: {'200': {description: checked}}
                """;
        private static final Pattern RUN = Pattern.compile("[A-Za-z0-9]+");

        final Map<String, String> passwords = new ConcurrentHashMap<>(ORIGINAL);
        final Map<String, Boolean> admins = new ConcurrentHashMap<>(Map.of("alice", false, "bob", false));
        /** Book title to owner and secret. */
        final Map<String, String[]> books = new ConcurrentHashMap<>(Map.of(
                "bookTitle12", new String[] {"alice", "secret for bookTitle12"},
                "bookTitle34", new String[] {"bob", "secret for bookTitle34"}));

        final AtomicInteger resets = new AtomicInteger();
        final AtomicInteger longestRun = new AtomicInteger();
        private final boolean vulnerable;
        private final TestJwt jwts;
        private final HttpServer server;

        MiniApi(boolean vulnerable) throws IOException {
            this.vulnerable = vulnerable;
            this.jwts = new TestJwt(vulnerable ? "random" : UUID.randomUUID() + "-" + UUID.randomUUID());
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
                        String token = jwts.mint(user, Instant.now().plusSeconds(300));
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
                } else if (method.equals("GET") && path.equals("/users/v1/_debug")) {
                    StringBuilder users = new StringBuilder();
                    admins.forEach((user, admin) -> users.append(users.isEmpty() ? "" : ", ")
                            .append("{\"username\": \"")
                            .append(json(user))
                            .append("\", \"admin\": ")
                            .append(admin)
                            .append('}'));
                    respond(ex, 200, "{\"users\": [" + users + "]}");
                } else if (method.equals("POST") && path.equals("/users/v1/register")) {
                    String user = field(body, "username");
                    if (user == null || field(body, "password") == null || field(body, "email") == null) {
                        respond(ex, 400, "{\"status\": \"fail\"}");
                    } else if (admins.putIfAbsent(user, vulnerable && body.matches("(?s).*\"admin\"\\s*:\\s*true.*"))
                            != null) {
                        respond(ex, 200, "{\"status\": \"fail\", \"message\": \"User already exists.\"}");
                    } else {
                        respond(ex, 200, "{\"status\": \"success\", \"message\": \"Successfully registered.\"}");
                    }
                } else if (method.equals("GET") && path.equals("/books/v1")) {
                    StringBuilder list = new StringBuilder();
                    books.forEach((title, book) -> list.append(list.isEmpty() ? "" : ", ")
                            .append("{\"book_title\": \"")
                            .append(json(title))
                            .append("\", \"user\": \"")
                            .append(json(book[0]))
                            .append("\"}"));
                    respond(ex, 200, "{\"Books\": [" + list + "]}");
                } else if (method.equals("POST") && path.equals("/books/v1")) {
                    String caller = caller(ex);
                    String title = field(body, "book_title");
                    String secret = field(body, "secret");
                    if (title == null || secret == null) {
                        respond(ex, 400, "{\"status\": \"fail\"}");
                    } else if (caller == null) {
                        respond(ex, 401, "{\"status\": \"fail\", \"message\": \"Invalid token\"}");
                    } else if (books.putIfAbsent(title, new String[] {caller, secret}) != null) {
                        respond(ex, 400, "{\"status\": \"fail\", \"message\": \"Book Already exists!\"}");
                    } else {
                        respond(ex, 200, "{\"status\": \"success\", \"message\": \"Book has been added.\"}");
                    }
                } else if (method.equals("GET") && path.startsWith("/books/v1/")) {
                    String caller = caller(ex);
                    String[] book = books.get(URLDecoder.decode(path.substring(10), StandardCharsets.UTF_8));
                    if (caller == null) {
                        respond(ex, 401, "{\"status\": \"fail\", \"message\": \"Invalid token\"}");
                    } else if (book == null || (!vulnerable && !book[0].equals(caller))) {
                        respond(ex, 404, "{\"status\": \"fail\", \"message\": \"Book not found!\"}");
                    } else {
                        respond(
                                ex,
                                200,
                                "{\"book_title\": \"" + json(path.substring(10)) + "\", \"secret\": \"" + json(book[1])
                                        + "\", \"owner\": \"" + json(book[0]) + "\"}");
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

        /** The user an HS256 token names, when its signature and expiry check out. */
        private String caller(HttpExchange ex) {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            return header == null || !header.startsWith("Bearer ")
                    ? null
                    : jwts.verify(header.substring(7), TestJwt.Skip.NONE);
        }

        private static String json(String text) {
            return text.replace("\\", "\\\\").replace("\"", "\\\"");
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
