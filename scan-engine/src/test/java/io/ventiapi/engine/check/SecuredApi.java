package io.ventiapi.engine.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.demotarget.TestJwt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small, correctly secured API with habits real APIs have and that scanners mistake for flaws: errors answered
 * 200 inside an envelope ({@code {"code":401,"message":"unauthorized","data":null}}), a guarded {@code /admin}
 * that redirects to a login page, a profile update that echoes the merged request but stores only the name, a
 * paging token, a per-account lockout after 5 failed logins, a health check limited at 100 requests a minute,
 * forum posts every member may read, and each caller's own files, folders and profile under paths that say
 * root, manage and internal. Two operations are flawed on purpose, to show the checks still find
 * real flaws among these habits: {@code PATCH /api/settings} stores every property it gets (plain mode), and in
 * envelope mode {@code GET /api/statement} checks no credentials and {@code GET /api/admin/audit} no role.
 */
final class SecuredApi implements AutoCloseable {

    enum Mode {
        /** Refusals as 401/403/404. */
        PLAIN,
        /** Every answer 200, with the outcome in a {@code code} field. */
        ENVELOPE
    }

    static final Map<String, String> PASSWORDS =
            Map.of("alice", "wonderland", "bob", "builder", "admin", "admin-s3cret");
    static final String PAGE_TOKEN = "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA3EgZyZXZpZXc";

    static final String PLAIN_SPEC = """
            openapi: 3.0.3
            info: {title: Secured forum, version: 1.0.0}
            security:
              - bearerAuth: []
            paths:
              /api/login:
                post:
                  operationId: login
                  security: []
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [username, password]
                          properties:
                            username: {type: string, example: alice}
                            password: {type: string, example: wonderland}
                  responses:
                    '200': {description: token}
                    '401': {description: bad credentials}
              /api/health:
                get:
                  operationId: health
                  security: []
                  responses: {'200': {description: ok}}
              /api/reviews:
                get:
                  operationId: listReviews
                  responses: {'200': {description: a page of reviews}}
              /api/profile:
                get:
                  operationId: getProfile
                  responses:
                    '200':
                      description: profile
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Profile'}
                patch:
                  operationId: updateProfile
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            name: {type: string, example: alice}
                  responses:
                    '200':
                      description: profile
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Profile'}
              /api/settings:
                get:
                  operationId: getSettings
                  responses: {'200': {description: settings}}
                patch:
                  operationId: updateSettings
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            theme: {type: string, example: dark}
                  responses: {'200': {description: settings}}
              /api/posts:
                get:
                  operationId: listPosts
                  responses: {'200': {description: posts}}
                post:
                  operationId: createPost
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [title]
                          properties:
                            title: {type: string, example: hello}
                  responses: {'201': {description: created}}
              /api/posts/{postId}:
                get:
                  operationId: getPost
                  parameters:
                    - {name: postId, in: path, required: true, schema: {type: string}}
                  responses:
                    '200': {description: post}
                    '404': {description: not found}
                delete:
                  operationId: deletePost
                  parameters:
                    - {name: postId, in: path, required: true, schema: {type: string}}
                  responses: {'204': {description: deleted}}
              /api/drive/root/children:
                get:
                  operationId: listMyDriveRoot
                  responses: {'200': {description: the caller's own files}}
              /api/folders/manage:
                get:
                  operationId: manageMyFolders
                  responses: {'200': {description: the caller's own folders}}
              /api/internal/whoami:
                get:
                  operationId: whoAmI
                  responses: {'200': {description: the caller's own profile}}
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
              schemas:
                Profile:
                  type: object
                  properties:
                    id: {type: integer}
                    name: {type: string}
                    role: {type: string}
            """;

    /** The same API with one more operation that sorts before all others and changes nothing else. */
    static final String PLAIN_SPEC_WITH_NEWS = PLAIN_SPEC.replace("""
            paths:
            """, """
            paths:
              /api/aaa-news:
                get:
                  operationId: listNews
                  responses: {'200': {description: news}}
            """);

    static final String ENVELOPE_SPEC = """
            openapi: 3.0.3
            info: {title: Envelope API, version: 1.0.0}
            security:
              - bearerAuth: []
            paths:
              /api/login:
                post:
                  operationId: login
                  security: []
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            username: {type: string, example: alice}
                            password: {type: string, example: wonderland}
                  responses: {'200': {description: envelope}}
              /api/account:
                get:
                  operationId: getAccount
                  responses: {'200': {description: envelope}}
              /api/statement:
                get:
                  operationId: getStatement
                  responses: {'200': {description: envelope}}
              /api/admin/users:
                get:
                  operationId: listUsers
                  responses: {'200': {description: envelope}}
              /api/admin/audit:
                get:
                  operationId: listAudit
                  responses: {'200': {description: envelope}}
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Integer> IDS = Map.of("alice", 7, "bob", 42, "admin", 1);

    private final Mode mode;
    private final TestJwt jwts = new TestJwt(UUID.randomUUID().toString());
    private final HttpServer server;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> profiles = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> settings = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> posts = new ConcurrentHashMap<>();
    private final List<Long> healthHits = new ArrayList<>();
    /** Logins of existing accounts refused because the account was locked. */
    final AtomicInteger lockedLogins = new AtomicInteger();

    SecuredApi(Mode mode) throws IOException {
        this.mode = mode;
        IDS.forEach((user, id) -> {
            profiles.put(
                    user,
                    new LinkedHashMap<>(
                            Map.of("id", id, "name", user, "role", user.equals("admin") ? "admin" : "user")));
            settings.put(user, new LinkedHashMap<>(Map.of("theme", "light", "plan", "free")));
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Failed logins counted against an existing account since its last good one. */
    int failures(String user) {
        return failures.getOrDefault(user, 0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            JsonNode body = null;
            byte[] raw = ex.getRequestBody().readAllBytes();
            if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (RuntimeException e) {
                    respond(ex, 400, Map.of("error", "bad body"));
                    return;
                }
            }
            if (mode == Mode.ENVELOPE) {
                envelope(ex, method, path, body);
            } else {
                plain(ex, method, path, body);
            }
        }
    }

    private void plain(HttpExchange ex, String method, String path, JsonNode body) throws IOException {
        if (method.equals("POST") && path.equals("/api/login")) {
            String token = login(body);
            if (token == null) {
                respond(ex, 401, Map.of("error", "invalid username or password"));
            } else if (token.isEmpty()) {
                respond(ex, 423, Map.of("error", "account temporarily locked"));
            } else {
                respond(ex, 200, Map.of("token", token));
            }
            return;
        }
        if (method.equals("GET") && path.equals("/api/health")) {
            boolean over;
            synchronized (healthHits) {
                long now = System.nanoTime();
                healthHits.removeIf(t -> t < now - 60_000_000_000L);
                healthHits.add(now);
                over = healthHits.size() > 100;
            }
            if (over) {
                ex.getResponseHeaders().set("Retry-After", "60");
                respond(ex, 429, Map.of("error", "too many requests"));
            } else {
                respond(ex, 200, Map.of("status", "ok"));
            }
            return;
        }
        if (method.equals("GET") && path.equals("/admin")) {
            ex.getResponseHeaders().set("Location", "/login");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (method.equals("GET") && path.equals("/login")) {
            byte[] page =
                    "<html><body><form method=post action=/login>user <input name=u> pass <input type=password name=p></form></body></html>"
                            .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            return;
        }
        String user = caller(ex);
        if (path.startsWith("/api/") && user == null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            respond(ex, 401, Map.of("error", "unauthorized"));
            return;
        }
        switch (method + " " + path) {
            case "GET /api/aaa-news" -> respond(ex, 200, List.of(Map.of("id", 1, "headline", "welcome")));
            case "GET /api/reviews" -> {
                List<Map<String, Object>> items = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    items.add(Map.of("id", i, "rating", 1 + i % 5));
                }
                respond(ex, 200, Map.of("items", items, "nextPageToken", PAGE_TOKEN));
            }
            case "GET /api/profile" -> respond(ex, 200, profiles.get(user));
            case "PATCH /api/profile" -> {
                if (body == null || !body.isObject()) {
                    respond(ex, 400, Map.of("error", "bad body"));
                    return;
                }
                Map<String, Object> shown;
                synchronized (profiles) {
                    if (body.path("name").isString()) {
                        profiles.get(user).put("name", body.path("name").asString()); // only the name is stored
                    }
                    shown = new LinkedHashMap<>(profiles.get(user));
                    shown.putAll(JSON.convertValue(body, Map.class)); // ...but the answer echoes the request
                }
                respond(ex, 200, shown);
            }
            case "GET /api/settings" -> respond(ex, 200, settings.get(user));
            case "PATCH /api/settings" -> {
                if (body == null || !body.isObject()) {
                    respond(ex, 400, Map.of("error", "bad body"));
                    return;
                }
                synchronized (settings) {
                    settings.get(user).putAll(JSON.convertValue(body, Map.class)); // the flaw: stores anything
                    respond(ex, 200, settings.get(user));
                }
            }
            case "GET /api/posts" -> respond(ex, 200, List.copyOf(posts.values()));
            // Each caller's own data, under path words that also name administrative functions.
            case "GET /api/drive/root/children" ->
                respond(ex, 200, List.of(Map.of("id", "f" + IDS.get(user), "name", user + "-notes.txt")));
            case "GET /api/folders/manage" ->
                respond(ex, 200, Map.of("owner", user, "folders", List.of(Map.of("id", IDS.get(user), "name", user))));
            case "GET /api/internal/whoami" -> respond(ex, 200, profiles.get(user));
            case "POST /api/posts" -> {
                if (body == null || !body.path("title").isString()) {
                    respond(ex, 400, Map.of("error", "title required"));
                    return;
                }
                String id = UUID.randomUUID().toString();
                Map<String, Object> post = new LinkedHashMap<>();
                post.put("id", id);
                post.put("title", body.path("title").asString());
                post.put("author", user);
                posts.put(id, post);
                respond(ex, 201, post);
            }
            default -> {
                if (path.startsWith("/api/posts/")) {
                    Map<String, Object> post = posts.get(path.substring("/api/posts/".length()));
                    if (post == null) {
                        respond(ex, 404, Map.of("error", "not found"));
                    } else if (method.equals("GET")) {
                        respond(ex, 200, post); // a forum: every member reads every post
                    } else if (method.equals("DELETE") && post.get("author").equals(user)) {
                        posts.remove(String.valueOf(post.get("id")));
                        ex.sendResponseHeaders(204, -1);
                    } else {
                        respond(ex, 403, Map.of("error", "not your post"));
                    }
                } else {
                    respond(ex, 404, Map.of("error", "not found"));
                }
            }
        }
    }

    private void envelope(HttpExchange ex, String method, String path, JsonNode body) throws IOException {
        if (method.equals("POST") && path.equals("/api/login")) {
            String token = login(body);
            if (token == null || token.isEmpty()) {
                envelope(ex, 401, "invalid username or password", null);
            } else {
                envelope(ex, 0, "ok", Map.of("token", token));
            }
            return;
        }
        String user = caller(ex);
        List<Map<String, Object>> audit = List.of(
                Map.of("at", "2024-05-01T10:00:00Z", "who", "admin", "what", "login"),
                Map.of("at", "2024-05-01T10:05:00Z", "who", "admin", "what", "export"));
        if (method.equals("GET") && path.equals("/api/statement")) {
            // The flaw: no credentials checked at all.
            envelope(ex, 0, "ok", Map.of("account", 7, "entries", List.of(Map.of("amount", -12, "to", "grocer"))));
            return;
        }
        if (path.startsWith("/api/") && user == null) {
            envelope(ex, 401, "unauthorized", null);
            return;
        }
        switch (method + " " + path) {
            case "GET /api/account" ->
                envelope(ex, 0, "ok", Map.of("id", IDS.get(user), "username", user, "balance", 10));
            case "GET /api/admin/users" -> {
                if (!user.equals("admin")) {
                    envelope(ex, 403, "forbidden", null);
                } else {
                    List<Map<String, Object>> users = new ArrayList<>();
                    IDS.forEach((name, id) -> users.add(Map.of("id", id, "username", name)));
                    envelope(ex, 0, "ok", users);
                }
            }
            case "GET /api/admin/audit" -> envelope(ex, 0, "ok", audit); // the flaw: no role checked
            default -> respond(ex, 404, Map.of("code", 404, "message", "not found"));
        }
    }

    /** A token, null for wrong credentials, or empty when the account is locked. */
    private String login(JsonNode body) {
        String user = body == null ? "" : body.path("username").asString("");
        String password = body == null ? "" : body.path("password").asString("");
        boolean exists = PASSWORDS.containsKey(user) && body.path("username").isString();
        synchronized (failures) {
            if (exists && failures(user) >= 5) {
                lockedLogins.incrementAndGet();
                return "";
            }
            if (exists
                    && PASSWORDS.get(user).equals(password)
                    && body.path("password").isString()) {
                failures.put(user, 0);
                return jwts.mint(user, Instant.now().plusSeconds(600));
            }
            if (exists) {
                failures.merge(user, 1, Integer::sum);
            }
            return null;
        }
    }

    private void envelope(HttpExchange ex, int code, String message, Object data) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", code);
        answer.put("message", message);
        answer.put("data", data);
        respond(ex, 200, answer);
    }

    /** The user an HS256 token names, when its signature and expiry check out. */
    private String caller(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return null;
        }
        String user = jwts.verify(header.substring(7).trim(), TestJwt.Skip.NONE);
        return user != null && IDS.containsKey(user) ? user : null;
    }

    private static void respond(HttpExchange ex, int status, Object json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Server", "nginx/1.25.3");
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
