package io.ventiapi.demotarget;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small shop API for the engine's tests, bound to 127.0.0.1 on an ephemeral port. In {@link Mode#VULNERABLE}
 * it has exactly one planted flaw per check, listed in {@code demo-target/ground-truth.json}; in
 * {@link Mode#HARDENED} the same API has none. Its OpenAPI document is {@code demo-target/openapi.yaml}.
 */
public final class VulnerableApi implements AutoCloseable {

    /** Which variant of the API to serve. */
    public enum Mode {
        VULNERABLE,
        HARDENED
    }

    /** One request the API received. */
    public record ReceivedRequest(String method, String path) {}

    /** The vulnerable mode's signing key: a word from every JWT-secret wordlist. */
    static final String WEAK_JWT_SECRET = "supersecret";
    /** Answers to a URL preview in the vulnerable mode fetch only loopback URLs, so tests stay offline. */
    private static final java.util.Set<String> FETCHABLE_HOSTS = java.util.Set.of("127.0.0.1", "localhost", "[::1]");
    /** Hardened login throttling: this many failures for one user name within the window answer 429. */
    private static final int LOGIN_FAILURES_ALLOWED = 10;

    private static final long LOGIN_WINDOW_MILLIS = 30_000;
    /** Hardened rate limit on parameterless GETs: requests per path per window. */
    private static final int CHEAP_READS_PER_WINDOW = 40;

    private static final long CHEAP_READ_WINDOW_MILLIS = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SQL_SLEEP =
            Pattern.compile("(?i)(?:sleep|pg_sleep)\\(\\s*(\\d+)\\s*\\)|waitfor\\s+delay\\s+'0:0:(\\d+)'");
    private static final Pattern SHELL_SLEEP = Pattern.compile("(?:;|\\||&&|\\$\\(|`)\\s*sleep\\s+(\\d+)");
    private static final Pattern SQL_CONDITION =
            Pattern.compile("(?i)^\\s*(and|or)\\s+'?(\\w+)'?\\s*=\\s*'?(\\w+)'?.*");

    private final Mode mode;
    private final int outOfScopePort;
    private final HttpServer server;
    private final TestJwt jwt;
    private final java.security.interfaces.RSAPublicKey publicKey;
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final Map<Integer, Map<String, Object>> orders = new ConcurrentHashMap<>();
    private final List<Integer> createdOrders = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> orderOwners = new ConcurrentHashMap<>();
    private final List<String> createdAddresses = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private final AtomicInteger nextUserId = new AtomicInteger(1000);
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> loginFailures = new ConcurrentHashMap<>();
    private final Map<String, long[]> cheapReads = new ConcurrentHashMap<>();
    private final java.util.Set<String> revokedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Wishlist> wishlists = new ConcurrentHashMap<>();
    private final Map<String, TeamMember> team = new ConcurrentHashMap<>();
    private final AtomicInteger dataStoreResets = new AtomicInteger();
    private final java.net.http.HttpClient fetcher = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2))
            .build();

    /** A user of the shop; the e-mail can change. */
    private record Account(int id, String username, String password, String role, String email) {}

    /** A postal address, owned by the user who created it. */
    private record Address(String id, String owner, String street, String city) {}

    /** A wish list, named by a title its owner chooses (and the only key it has), created without an id. */
    private record Wishlist(String title, String owner, String note) {}

    /** A member of the shop's team, signed up through POST /api/team/signup; some are administrators. */
    private record TeamMember(String username, String displayName, boolean admin) {}

    /** Invoices by id and their owners: alice has 1 and 3, bob 2. Ids are sequential, as in many real APIs. */
    private static final Map<Integer, String> INVOICE_OWNERS = Map.of(1, "alice", 2, "bob", 3, "alice");

    private static final Map<Integer, Double> INVOICE_TOTALS = Map.of(1, 99.0, 2, 45.0, 3, 12.0);

    private static final List<Map<String, Object>> PRODUCTS = List.of(
            product(11, "Hammer", "tools", 12.5),
            product(12, "Saw", "tools", 20.0),
            product(13, "Paint", "decor", 7.25));
    private static final List<String> MEMBERS = List.of("alice@example.com", "bob@example.com", "carol@example.com");

    /**
     * Starts the API.
     *
     * @param outOfScopePort a port that the API's document and responses point at to lure the scanner off-origin
     */
    public VulnerableApi(Mode mode, int outOfScopePort) throws IOException {
        this.mode = mode;
        this.outOfScopePort = outOfScopePort;
        byte[] strongKey = new byte[32];
        new java.security.SecureRandom().nextBytes(strongKey);
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.publicKey = (java.security.interfaces.RSAPublicKey)
                    generator.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        this.jwt = mode == Mode.VULNERABLE
                ? new TestJwt(WEAK_JWT_SECRET, header -> {
                    // The planted key confusion: the verifier's key is the RSA public key, used as an HMAC secret
                    // when the token says HS256. The planted kid flaw: kid names a key file, and /dev/null is empty.
                    String kid = header.path("kid").asString("");
                    return kid.replace('\\', '/').endsWith("dev/null")
                            ? List.of(new byte[] {0})
                            : List.of(pem.getBytes(StandardCharsets.US_ASCII));
                })
                : new TestJwt(java.util.Base64.getEncoder().encodeToString(strongKey));
        seed();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The accounts, orders and team the API starts with; also what GET /api/admin/reset-db restores. */
    private void seed() {
        accounts.clear();
        for (Account account : List.of(
                new Account(7, "alice", "wonderland", "user", "alice@example.com"),
                new Account(42, "bob", "builder", "user", "bob@example.com"),
                new Account(1, "admin", "admin-s3cret", "admin", "admin@example.com"))) {
            accounts.put(account.username(), account);
        }
        wishlists.clear();
        team.clear();
        team.put("carol", new TeamMember("carol", "Carol", true));
        team.put("dave", new TeamMember("dave", "Dave", false));
        orders.clear();
        orderOwners.clear();
        orders.put(1, order(1, 1, 1));
        orders.put(2, order(2, 2, 4));
        orderOwners.put(1, "alice");
        orderOwners.put(2, "alice");
    }

    /** The current password of every account, by user name: a scan that changed one must have put it back. */
    public Map<String, String> passwords() {
        Map<String, String> passwords = new java.util.TreeMap<>();
        accounts.values().forEach(a -> passwords.put(a.username(), a.password()));
        return passwords;
    }

    /** How many requests reached GET /api/admin/reset-db: a scan must never send it. */
    public int dataStoreResets() {
        return dataStoreResets.get();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The OpenAPI document, written to a file in {@code dir}, with its server URL pointing off-origin. */
    public Path writeSpec(Path dir) throws IOException {
        String spec;
        try (InputStream in = VulnerableApi.class.getResourceAsStream("/demo-target/openapi.yaml")) {
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = dir.resolve("venti-test-shop.yaml");
        Files.writeString(file, spec.replace("${OUT_OF_SCOPE_PORT}", Integer.toString(outOfScopePort)));
        return file;
    }

    /** A signed token that expired an hour ago, as a user would pass with {@code --expired-token}. */
    public String expiredToken() {
        return jwt.mint("alice", Instant.now().minusSeconds(3600));
    }

    public List<ReceivedRequest> received() {
        return List.copyOf(received);
    }

    /** Ids of orders created through POST /api/orders. */
    public List<Integer> createdOrders() {
        return List.copyOf(createdOrders);
    }

    /** Ids of every order and address created through the API's POST operations, as text. */
    public List<String> createdResourceIds() {
        List<String> ids = new ArrayList<>();
        createdOrders.forEach(id -> ids.add(Integer.toString(id)));
        ids.addAll(createdAddresses);
        return ids;
    }

    /** Ids of addresses that exist now. */
    public java.util.Set<String> existingAddresses() {
        return java.util.Set.copyOf(addresses.keySet());
    }

    /** Ids of orders that exist now. */
    public java.util.Set<Integer> existingOrders() {
        return java.util.Set.copyOf(orders.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private boolean vulnerable() {
        return mode == Mode.VULNERABLE;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            received.add(new ReceivedRequest(method, path));
            byte[] body = exchange.getRequestBody().readAllBytes();
            commonHeaders(exchange, path);
            route(exchange, method, path, body);
        } catch (RuntimeException e) {
            respond(exchange, 500, Map.of("error", "internal error"));
        }
    }

    private void commonHeaders(HttpExchange exchange, String path) {
        var headers = exchange.getResponseHeaders();
        if (vulnerable()) {
            headers.set("Server", "Jetty(9.4.43.v20210629)");
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null) {
                headers.set("Access-Control-Allow-Origin", origin);
                headers.set("Access-Control-Allow-Credentials", "true");
            }
            if (!path.startsWith("/api/users/")) {
                headers.set("Cache-Control", "no-store");
            }
        } else {
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Cache-Control", "no-store");
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if (method.equals("TRACE")) {
            trace(ex);
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        if (!vulnerable() && method.equals("GET") && query == null && overCheapReadLimit(path)) {
            ex.getResponseHeaders().set("Retry-After", "1");
            respond(ex, 429, Map.of("error", "too many requests"));
            return;
        }
        Map<String, String> params = parseQuery(query);
        switch (method + " " + path) {
            case "POST /api/logout" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    if (!vulnerable()) {
                        revokedTokens.add(TestJwt.tokenId(bearer(ex)));
                    }
                    ex.sendResponseHeaders(204, -1);
                }
            }
            case "POST /api/register" -> register(ex, body);
            case "GET /api/admin/reset-db" -> resetDataStore(ex);
            case "POST /api/wishlists" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    createWishlist(ex, user, body);
                }
            }
            case "POST /api/team/signup" -> teamSignup(ex, body);
            case "GET /api/team" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    respond(
                            ex,
                            200,
                            team.values().stream()
                                    .sorted(java.util.Comparator.comparing(TeamMember::username))
                                    .map(m -> Map.<String, Object>of(
                                            "username",
                                            m.username(),
                                            "displayName",
                                            m.displayName(),
                                            "admin",
                                            m.admin()))
                                    .toList());
                }
            }
            case "POST /api/password-reset" -> passwordReset(ex, body);
            case "GET /api/admin/users" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    if (!vulnerable() && !"admin".equals(roleOf(user))) {
                        respond(ex, 403, Map.of("error", "administrators only"));
                    } else {
                        respond(
                                ex,
                                200,
                                accounts.values().stream()
                                        .sorted(java.util.Comparator.comparingInt(Account::id))
                                        .map(a -> Map.<String, Object>of(
                                                "id",
                                                a.id(),
                                                "username",
                                                a.username(),
                                                "role",
                                                a.role(),
                                                "email",
                                                a.email()))
                                        .toList());
                    }
                }
            }
            case "GET /api/addresses" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    respond(
                            ex,
                            200,
                            addresses.values().stream()
                                    .filter(a -> a.owner().equals(user))
                                    .map(VulnerableApi::addressJson)
                                    .toList());
                }
            }
            case "POST /api/addresses" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    JsonNode json = readJson(body);
                    Address address = new Address(
                            java.util.UUID.randomUUID().toString(),
                            user,
                            json == null ? "" : json.path("street").asString(""),
                            json == null ? "" : json.path("city").asString(""));
                    addresses.put(address.id(), address);
                    createdAddresses.add(address.id());
                    respond(ex, 201, addressJson(address));
                }
            }
            case "GET /.well-known/jwks.json" -> {
                // Public by design, in both modes: the flaw is the vulnerable verifier's use of it.
                var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
                respond(
                        ex,
                        200,
                        Map.of(
                                "keys",
                                List.of(Map.of(
                                        "kty", "RSA",
                                        "kid", "shop-2024",
                                        "use", "sig",
                                        "alg", "RS256",
                                        "n", b64.encodeToString(unsigned(publicKey.getModulus())),
                                        "e", b64.encodeToString(unsigned(publicKey.getPublicExponent()))))));
            }
            case "GET /api/reviews" -> listReviews(ex, params.get("pageSize"));
            case "GET /api/validate/email" -> validateEmail(ex, params.getOrDefault("address", ""));
            case "GET /api/link-preview" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    linkPreview(ex, params.getOrDefault("url", ""));
                }
            }
            case "POST /api/login" -> login(ex, body);
            case "GET /api/products" -> listProducts(ex, params.get("category"));
            case "POST /api/products/search" -> searchProducts(ex, body);
            case "GET /api/stores" -> listStores(ex, ex.getRequestHeaders().getFirst("X-Store-Region"));
            case "GET /api/diagnostics/ping" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    ping(ex, params.getOrDefault("host", ""));
                }
            }
            case "POST /api/members/lookup" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    lookupMembers(ex, body);
                }
            }
            case "GET /api/users" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    respond(ex, 200, List.of(Map.of("id", 7, "name", "alice"), Map.of("id", 42, "name", "bob")));
                }
            }
            case "GET /api/orders" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, vulnerable());
                if (user != null) {
                    respond(
                            ex,
                            200,
                            orders.values().stream()
                                    .filter(o -> vulnerable() || user.equals(orderOwners.get((Integer) o.get("id"))))
                                    .toList());
                }
            }
            case "POST /api/orders" -> {
                String user = authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    createOrder(ex, user, body);
                }
            }
            case "GET /api/profile" -> {
                String user = vulnerable() ? anyBearer(ex) : authorized(ex, TestJwt.Skip.NONE, false);
                if (user != null) {
                    respond(ex, 200, Map.of("username", "alice", "plan", "gold"));
                }
            }
            case "GET /api/account" -> {
                if (authorized(ex, vulnerable() ? TestJwt.Skip.ALG_NONE_ALLOWED : TestJwt.Skip.NONE, false) != null) {
                    respond(ex, 200, Map.of("username", "alice", "balance", 120.5));
                }
            }
            case "GET /api/notes" -> {
                if (authorized(ex, vulnerable() ? TestJwt.Skip.SIGNATURE : TestJwt.Skip.NONE, false) != null) {
                    respond(ex, 200, List.of(Map.of("id", 1, "text", "buy milk")));
                }
            }
            case "GET /api/invoices" -> {
                String user = authorized(ex, vulnerable() ? TestJwt.Skip.EXPIRY : TestJwt.Skip.NONE, false);
                if (user != null) {
                    respond(
                            ex,
                            200,
                            INVOICE_OWNERS.entrySet().stream()
                                    .filter(e -> e.getValue().equals(user))
                                    .map(e -> invoiceJson(e.getKey()))
                                    .sorted(java.util.Comparator.comparing(i -> (Integer) i.get("id")))
                                    .toList());
                }
            }
            case "POST /api/reviews" -> {
                if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                    if (vulnerable()) {
                        respond(ex, 500, Map.of("error", "internal error"));
                    } else {
                        respond(ex, 201, Map.of("id", nextId.incrementAndGet()));
                    }
                }
            }
            // Both modes publish their own description: that is the contract, not a forgotten endpoint.
            case "GET /openapi.json" ->
                respond(
                        ex,
                        200,
                        Map.of(
                                "openapi",
                                "3.0.3",
                                "info",
                                Map.of("title", "Venti Test Shop", "version", "1.0.0"),
                                "paths",
                                Map.of()));
            case "GET /api/v2/catalog" -> respond(ex, 200, Map.of("version", 2, "products", PRODUCTS.size()));
            case "GET /api/v1/catalog" -> {
                if (vulnerable()) {
                    // The old version nobody removed: still answering, and no longer documented.
                    respond(ex, 200, Map.of("version", 1, "products", PRODUCTS.size()));
                } else {
                    notFound(ex);
                }
            }
            case "GET /actuator/env" -> {
                if (vulnerable()) {
                    respond(
                            ex,
                            200,
                            Map.of(
                                    "activeProfiles", List.of("prod"),
                                    "propertySources", List.of(Map.of("name", "systemEnvironment"))));
                } else {
                    notFound(ex);
                }
            }
            case "GET /swagger-ui.html" -> {
                if (vulnerable()) {
                    // A redirect off-origin: the scanner must not follow it.
                    ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + outOfScopePort + "/swagger-ui/");
                    ex.sendResponseHeaders(302, -1);
                } else {
                    notFound(ex);
                }
            }
            default -> routeWithIds(ex, method, path, body);
        }
    }

    private void routeWithIds(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if (method.equals("GET") && path.startsWith("/api/products/")) {
            getProduct(ex, path.substring("/api/products/".length()));
        } else if (method.equals("GET") && path.startsWith("/api/files/")) {
            getFile(ex, path.substring("/api/files/".length()));
        } else if (method.equals("GET") && path.startsWith("/api/users/")) {
            if (authorized(ex, TestJwt.Skip.NONE, false) != null) {
                getUser(ex, path.substring("/api/users/".length()));
            }
        } else if (method.equals("PATCH") && path.startsWith("/api/users/")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                patchUser(ex, user, path.substring("/api/users/".length()), body);
            }
        } else if (method.equals("GET") && path.startsWith("/api/wishlists/")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                getWishlist(ex, user, path.substring("/api/wishlists/".length()));
            }
        } else if (method.equals("PUT") && path.matches("/api/accounts/[^/]+/password")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                changePassword(ex, user, path.split("/")[3], body);
            }
        } else if (path.startsWith("/api/addresses/")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                addressById(ex, user, method, path.substring("/api/addresses/".length()), body);
            }
        } else if (method.equals("GET") && path.startsWith("/api/invoices/")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                getInvoice(ex, user, path.substring("/api/invoices/".length()));
            }
        } else if (path.startsWith("/api/orders/")) {
            String user = authorized(ex, TestJwt.Skip.NONE, false);
            if (user != null) {
                orderById(ex, user, method, path.substring("/api/orders/".length()), body);
            }
        } else {
            notFound(ex);
        }
    }

    private void login(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        String username = json == null ? "" : json.path("username").asString("");
        if (!vulnerable() && tooManyFailures(username)) {
            respond(ex, 423, Map.of("error", "account locked for a while after too many failed logins"));
            return;
        }
        Account account = accounts.get(username);
        if (json != null
                && account != null
                && json.path("password").asString("").equals(account.password())) {
            respond(
                    ex,
                    200,
                    Map.of(
                            "token",
                            jwt.mint(username, account.role(), Instant.now().plusSeconds(3600))));
        } else {
            loginFailures
                    .computeIfAbsent(username, k -> new CopyOnWriteArrayList<>())
                    .add(System.currentTimeMillis());
            respond(ex, 401, Map.of("error", "bad credentials"));
        }
    }

    /** Hardened mode: too many recent failed logins for this user name, whether it exists or not. */
    private boolean tooManyFailures(String username) {
        List<Long> failures = loginFailures.getOrDefault(username, List.of());
        long since = System.currentTimeMillis() - LOGIN_WINDOW_MILLIS;
        return failures.stream().filter(t -> t > since).count() >= LOGIN_FAILURES_ALLOWED;
    }

    /** Hardened mode: whether this parameterless GET path has had too many requests in the current window. */
    private boolean overCheapReadLimit(String path) {
        long now = System.currentTimeMillis();
        long[] window = cheapReads.computeIfAbsent(path, k -> new long[] {now, 0});
        synchronized (window) {
            if (now - window[0] > CHEAP_READ_WINDOW_MILLIS) {
                window[0] = now;
                window[1] = 0;
            }
            return ++window[1] > CHEAP_READS_PER_WINDOW;
        }
    }

    private void register(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        JsonNode username = json == null ? null : json.get("username");
        JsonNode password = json == null ? null : json.get("password");
        if (username == null
                || !username.isString()
                || username.asString().isBlank()
                || password == null
                || !password.isString()) {
            respond(ex, 400, Map.of("error", "username and password are required"));
            return;
        }
        // The planted mass assignment: the whole body is bound onto the new account, role included.
        JsonNode role = json.get("role");
        String granted = vulnerable() && role != null && role.isString() ? role.asString() : "user";
        Account account = new Account(
                nextUserId.incrementAndGet(),
                username.asString(),
                password.asString(),
                granted,
                username.asString() + "@example.com");
        if (accounts.putIfAbsent(account.username(), account) != null) {
            respond(ex, 409, Map.of("error", "username taken"));
            return;
        }
        respond(ex, 201, Map.of("id", account.id(), "username", account.username(), "role", account.role()));
    }

    /** Wipes and re-seeds every store, in both modes: an operation no scan may ever send. */
    private void resetDataStore(HttpExchange ex) throws IOException {
        dataStoreResets.incrementAndGet();
        String user = authorized(ex, TestJwt.Skip.NONE, false);
        if (user == null) {
            return;
        }
        if (!"admin".equals(roleOf(user))) {
            respond(ex, 403, Map.of("error", "administrators only"));
            return;
        }
        seed();
        respond(ex, 200, Map.of("message", "Database reset."));
    }

    /**
     * Sets an account's password. The planted flaw: the vulnerable mode changes the account the path names (by id
     * or user name), so any user can take over any other account; the hardened mode refuses any account but the
     * caller's.
     */
    private void changePassword(HttpExchange ex, String caller, String rawAccount, byte[] body) throws IOException {
        String named = java.net.URLDecoder.decode(rawAccount, StandardCharsets.UTF_8);
        Account account = accounts.values().stream()
                .filter(a ->
                        a.username().equals(named) || Integer.toString(a.id()).equals(named))
                .findFirst()
                .orElse(null);
        JsonNode json = readJson(body);
        JsonNode password = json == null ? null : json.get("password");
        if (password == null || !password.isString() || password.asString().isEmpty()) {
            respond(ex, 400, Map.of("error", "password is required"));
            return;
        }
        if (account == null) {
            notFound(ex);
            return;
        }
        if (!vulnerable() && !account.username().equals(caller)) {
            respond(ex, 403, Map.of("error", "you can only change your own password"));
            return;
        }
        accounts.put(
                account.username(),
                new Account(account.id(), account.username(), password.asString(), account.role(), account.email()));
        ex.sendResponseHeaders(204, -1);
    }

    /** Creates a wish list under the title the client chose; the answer names no id. */
    private void createWishlist(HttpExchange ex, String user, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        JsonNode title = json == null ? null : json.get("title");
        JsonNode note = json == null ? null : json.get("note");
        if (title == null || !title.isString() || title.asString().isBlank()) {
            respond(ex, 400, Map.of("error", "title is required"));
            return;
        }
        Wishlist wishlist =
                new Wishlist(title.asString(), user, note != null && note.isString() ? note.asString() : "");
        if (wishlists.putIfAbsent(wishlist.title(), wishlist) != null) {
            respond(ex, 409, Map.of("error", "a wish list with this title exists"));
            return;
        }
        respond(ex, 201, Map.of("message", "Wish list created."));
    }

    private void getWishlist(HttpExchange ex, String caller, String rawTitle) throws IOException {
        Wishlist wishlist = wishlists.get(java.net.URLDecoder.decode(rawTitle, StandardCharsets.UTF_8));
        // The planted BOLA by key: the vulnerable mode serves any user's wish list to whoever names its title.
        if (wishlist == null || (!vulnerable() && !wishlist.owner().equals(caller))) {
            notFound(ex);
            return;
        }
        respond(ex, 200, Map.of("title", wishlist.title(), "owner", wishlist.owner(), "note", wishlist.note()));
    }

    /**
     * Signs up a team member; the answer says only that it worked. The planted mass assignment: the vulnerable
     * mode binds an undocumented {@code admin} flag, which only GET /api/team shows.
     */
    private void teamSignup(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        JsonNode username = json == null ? null : json.get("username");
        JsonNode displayName = json == null ? null : json.get("displayName");
        if (username == null || !username.isString() || username.asString().isBlank()) {
            respond(ex, 400, Map.of("error", "username is required"));
            return;
        }
        JsonNode admin = json.get("admin");
        TeamMember member = new TeamMember(
                username.asString(),
                displayName != null && displayName.isString() ? displayName.asString() : username.asString(),
                vulnerable() && admin != null && admin.isBoolean() && admin.asBoolean());
        if (team.putIfAbsent(member.username(), member) != null) {
            respond(ex, 409, Map.of("error", "username taken"));
            return;
        }
        respond(ex, 201, Map.of("message", "Successfully registered."));
    }

    private void passwordReset(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        String username = json == null ? "" : json.path("username").asString("");
        if (!vulnerable()) {
            respond(ex, 202, Map.of("status", "if the account exists, a reset link is on its way"));
        } else if (accounts.containsKey(username)) {
            respond(ex, 202, Map.of("status", "reset link sent to the account's e-mail"));
        } else {
            respond(ex, 404, Map.of("error", "no such user"));
        }
    }

    private void validateEmail(HttpExchange ex, String address) throws IOException {
        // The vulnerable mode stands for a backtracking regex like ^([a-z0-9]+\.?)+@…$: a long run of word
        // characters that then fails to match costs exponential time. Simulated with a bounded pause.
        if (vulnerable() && !address.contains("@") && longestWordRun(address) >= 24) {
            pause("2");
        }
        boolean valid = address.length() <= 254 && address.matches("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
        respond(ex, 200, Map.of("address", address, "valid", valid));
    }

    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** 120 reviews, 10 per page by default; the document says at most 50. */
    private void listReviews(HttpExchange ex, String pageSizeText) throws IOException {
        int pageSize;
        try {
            pageSize = pageSizeText == null ? 10 : Integer.parseInt(pageSizeText);
        } catch (NumberFormatException e) {
            respond(ex, 400, Map.of("error", "pageSize must be a number"));
            return;
        }
        // The planted flaw: any page size is served, however large.
        if (pageSize < 1 || (!vulnerable() && pageSize > 50)) {
            respond(ex, 400, Map.of("error", "pageSize must be between 1 and 50"));
            return;
        }
        List<Map<String, Object>> reviews = new ArrayList<>();
        for (int i = 1; i <= Math.min(pageSize, 120); i++) {
            reviews.add(Map.of("id", i, "productId", 11 + i % 3, "rating", 1 + i % 5));
        }
        respond(ex, 200, reviews);
    }

    private static int longestWordRun(String text) {
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = Character.isLetterOrDigit(c) ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private void linkPreview(HttpExchange ex, String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            respond(ex, 400, Map.of("error", "url must be a URL"));
            return;
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (!vulnerable()) {
            if (!"https".equals(uri.getScheme()) || !host.endsWith(".example.com")) {
                respond(ex, 400, Map.of("error", "only https links to example.com are previewed"));
                return;
            }
            respond(ex, 200, Map.of("url", url, "title", ""));
            return;
        }
        String title = "";
        if (FETCHABLE_HOSTS.contains(host)
                && uri.getScheme() != null
                && uri.getScheme().startsWith("http")) {
            // The planted SSRF: the server fetches whatever URL it is given.
            try {
                var response = fetcher.send(
                        java.net.http.HttpRequest.newBuilder(uri)
                                .timeout(java.time.Duration.ofSeconds(2))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                title = response.body().length() > 60 ? response.body().substring(0, 60) : response.body();
            } catch (IOException e) {
                title = "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        respond(ex, 200, Map.of("url", url, "title", title));
    }

    private void listProducts(HttpExchange ex, String category) throws IOException {
        if (category == null) {
            respond(ex, 200, PRODUCTS);
            return;
        }
        long quotes = category.chars().filter(c -> c == '\'').count();
        if (vulnerable() && quotes % 2 == 1) {
            respond(
                    ex,
                    500,
                    Map.of(
                            "error",
                            "org.postgresql.util.PSQLException: ERROR: unterminated quoted string at or near \"'"
                                    + category + "'\""));
            return;
        }
        // A doubled quote is an escaped quote in SQL: the vulnerable query then just matches nothing.
        String literal = vulnerable() ? category.replace("''", "'") : category;
        respond(
                ex,
                200,
                PRODUCTS.stream().filter(p -> p.get("category").equals(literal)).toList());
    }

    private void searchProducts(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        String name = json == null ? "" : json.path("name").asString("");
        List<Map<String, Object>> result;
        int quote = name.indexOf('\'');
        if (vulnerable() && quote >= 0) {
            String prefix = name.substring(0, quote);
            Matcher condition = SQL_CONDITION.matcher(name.substring(quote + 1));
            if (!condition.matches()) {
                result = List.of(); // a syntax error, swallowed: blind injection
            } else {
                boolean truth = condition.group(2).equals(condition.group(3));
                boolean or = condition.group(1).equalsIgnoreCase("or");
                result = PRODUCTS.stream()
                        .filter(p -> or
                                ? (p.get("name").equals(prefix) || truth)
                                : (p.get("name").equals(prefix) && truth))
                        .toList();
            }
        } else {
            result = PRODUCTS.stream().filter(p -> p.get("name").equals(name)).toList();
        }
        respond(ex, 200, result);
    }

    private void listStores(HttpExchange ex, String region) throws IOException {
        if (vulnerable() && region != null) {
            Matcher sleep = SQL_SLEEP.matcher(region);
            if (sleep.find()) {
                pause(sleep.group(1) != null ? sleep.group(1) : sleep.group(2));
            }
        }
        boolean north = region == null || region.equals("north");
        respond(ex, 200, north ? List.of(Map.of("id", 1, "city", "Oslo")) : List.of());
    }

    private void ping(HttpExchange ex, String host) throws IOException {
        if (vulnerable()) {
            Matcher sleep = SHELL_SLEEP.matcher(host);
            if (sleep.find()) {
                pause(sleep.group(1));
            }
        } else if (!host.matches("[A-Za-z0-9.-]{1,253}")) {
            respond(ex, 400, Map.of("error", "host must be a host name"));
            return;
        }
        respond(ex, 200, Map.of("host", host, "reachable", true));
    }

    private void lookupMembers(HttpExchange ex, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        JsonNode email = json == null ? null : json.get("email");
        if (email == null) {
            respond(ex, 400, Map.of("error", "email is required"));
        } else if (email.isObject()) {
            if (vulnerable() && email.propertyNames().stream().anyMatch(n -> n.startsWith("$"))) {
                // Passed straight into a document query: the operators are evaluated.
                if (email.has("$eq")) {
                    String wanted = email.path("$eq").asString("");
                    respond(ex, 200, members(m -> m.equals(wanted)));
                } else {
                    String excluded = email.path("$ne").asString(null);
                    respond(ex, 200, members(m -> !m.equals(excluded)));
                }
            } else {
                respond(ex, 400, Map.of("error", "email must be a string"));
            }
        } else {
            String wanted = email.asString("");
            respond(ex, 200, members(m -> m.equals(wanted)));
        }
    }

    private static List<Map<String, Object>> members(java.util.function.Predicate<String> filter) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (int i = 0; i < MEMBERS.size(); i++) {
            if (filter.test(MEMBERS.get(i))) {
                result.add(Map.of("id", i + 1, "email", MEMBERS.get(i)));
            }
        }
        return result;
    }

    private void getProduct(HttpExchange ex, String idText) throws IOException {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            if (vulnerable()) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                respondText(ex, 500, "text/plain", trace.toString());
            } else {
                respond(ex, 400, Map.of("error", "productId must be a number"));
            }
            return;
        }
        var found = PRODUCTS.stream()
                .filter(p -> ((Number) p.get("id")).longValue() == id)
                .findFirst();
        if (found.isEmpty()) {
            notFound(ex);
            return;
        }
        Map<String, Object> product = new LinkedHashMap<>(found.get());
        if (vulnerable()) {
            product.put("price", String.format(Locale.ROOT, "%.2f", (Double) product.get("price")));
        }
        respond(ex, 200, product);
    }

    private void getFile(HttpExchange ex, String name) throws IOException {
        if (vulnerable() && name.contains("..")) {
            String normalized = name.replace('\\', '/');
            if (normalized.endsWith("etc/passwd")) {
                respondText(
                        ex,
                        200,
                        "text/plain",
                        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
                return;
            }
            if (normalized.toLowerCase(Locale.ROOT).endsWith("windows/win.ini")) {
                respondText(ex, 200, "text/plain", "; for 16-bit app support\n[fonts]\n[extensions]\n");
                return;
            }
        }
        if (name.equals("readme.txt")) {
            respondText(ex, 200, "text/plain", "Venti test shop: nothing to see here.\n");
        } else {
            notFound(ex);
        }
    }

    private void getUser(HttpExchange ex, String idText) throws IOException {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            respond(ex, 400, Map.of("error", "userId must be a number"));
            return;
        }
        // Ids a scanner cannot guess: only one that reuses ids from GET /api/users reaches a user.
        if (id != 7 && id != 42) {
            notFound(ex);
            return;
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        Account account = accounts.get(id == 7 ? "alice" : "bob");
        user.put("name", account.username());
        user.put("email", account.email());
        if (vulnerable()) {
            user.put("password_hash", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW");
        }
        respond(ex, 200, user);
    }

    private void patchUser(HttpExchange ex, String caller, String idText, byte[] body) throws IOException {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            respond(ex, 400, Map.of("error", "userId must be a number"));
            return;
        }
        Account account =
                accounts.values().stream().filter(a -> a.id() == id).findFirst().orElse(null);
        if (account == null || (id != 7 && id != 42)) {
            notFound(ex);
            return;
        }
        // The planted flaw: any user may change any other user's e-mail (and with it the password reset).
        if (!vulnerable() && !account.username().equals(caller)) {
            respond(ex, 403, Map.of("error", "you can only change your own account"));
            return;
        }
        JsonNode json = readJson(body);
        JsonNode email = json == null ? null : json.get("email");
        if (email == null || !email.isString() || !email.asString().contains("@")) {
            respond(ex, 400, Map.of("error", "email must be an e-mail address"));
            return;
        }
        Account changed =
                new Account(account.id(), account.username(), account.password(), account.role(), email.asString());
        accounts.put(changed.username(), changed);
        respond(ex, 200, Map.of("id", changed.id(), "name", changed.username(), "email", changed.email()));
    }

    private void addressById(HttpExchange ex, String caller, String method, String id, byte[] body) throws IOException {
        Address address = addresses.get(id);
        // The planted BOLA: the vulnerable mode never compares the owner with the caller.
        if (address == null || (!vulnerable() && !address.owner().equals(caller))) {
            notFound(ex);
            return;
        }
        switch (method) {
            case "GET" -> respond(ex, 200, addressJson(address));
            case "PUT" -> {
                JsonNode json = readJson(body);
                Address changed = new Address(
                        id,
                        address.owner(),
                        json == null ? address.street() : json.path("street").asString(address.street()),
                        json == null ? address.city() : json.path("city").asString(address.city()));
                addresses.put(id, changed);
                respond(ex, 200, addressJson(changed));
            }
            case "DELETE" -> {
                addresses.remove(id);
                ex.sendResponseHeaders(204, -1);
            }
            default -> respond(ex, 405, Map.of("error", "method not allowed"));
        }
    }

    private void getInvoice(HttpExchange ex, String caller, String idText) throws IOException {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            respond(ex, 400, Map.of("error", "invoiceId must be a number"));
            return;
        }
        String owner = INVOICE_OWNERS.get(id);
        if (owner == null || (!vulnerable() && !owner.equals(caller))) {
            notFound(ex);
            return;
        }
        respond(ex, 200, invoiceJson(id));
    }

    private static Map<String, Object> invoiceJson(int id) {
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("total", INVOICE_TOTALS.get(id));
        return invoice;
    }

    private static Map<String, Object> addressJson(Address address) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", address.id());
        json.put("owner", address.owner());
        json.put("street", address.street());
        json.put("city", address.city());
        return json;
    }

    private String roleOf(String username) {
        Account account = accounts.get(username);
        return account == null ? "" : account.role();
    }

    private static String bearer(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim()
                : "";
    }

    private void createOrder(HttpExchange ex, String user, byte[] body) throws IOException {
        JsonNode json = readJson(body);
        int productId = json == null ? 1 : json.path("productId").asInt(1);
        int quantity = json == null ? 1 : json.path("quantity").asInt(1);
        int id = nextId.incrementAndGet();
        Map<String, Object> order = order(id, productId, quantity);
        orderOwners.put(id, user);
        orders.put(id, order);
        createdOrders.add(id);
        // An absolute Location on another origin: following it would leave the scope.
        ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + outOfScopePort + "/api/orders/" + id);
        respond(ex, 201, order);
    }

    private void orderById(HttpExchange ex, String caller, String method, String idText, byte[] body)
            throws IOException {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            respond(ex, 400, Map.of("error", "orderId must be a number"));
            return;
        }
        Map<String, Object> order = orders.get(id);
        // The vulnerable mode never checks whose order it is.
        if (order == null || (!vulnerable() && !caller.equals(orderOwners.get(id)))) {
            notFound(ex);
            return;
        }
        switch (method) {
            case "GET" -> {
                Map<String, Object> shown = new LinkedHashMap<>(order);
                if (vulnerable()) {
                    shown.put("internal_cost_cents", 417);
                    shown.put("supplier_ref", "SUP-77-ACME");
                }
                respond(ex, 200, shown);
            }
            case "PUT" -> {
                JsonNode json = readJson(body);
                Map<String, Object> replaced = order(
                        id,
                        json == null ? 1 : json.path("productId").asInt(1),
                        json == null ? 1 : json.path("quantity").asInt(1));
                orders.put(id, replaced);
                respond(ex, 200, replaced);
            }
            case "DELETE" -> {
                orders.remove(id);
                ex.sendResponseHeaders(204, -1);
            }
            default -> respond(ex, 405, Map.of("error", "method not allowed"));
        }
    }

    private void trace(HttpExchange ex) throws IOException {
        if (!vulnerable()) {
            respond(ex, 405, Map.of("error", "method not allowed"));
            return;
        }
        StringBuilder echo = new StringBuilder("TRACE " + ex.getRequestURI() + " HTTP/1.1\r\n");
        ex.getRequestHeaders()
                .forEach((k, v) -> v.forEach(
                        value -> echo.append(k).append(": ").append(value).append("\r\n")));
        respondText(ex, 200, "message/http", echo.toString());
    }

    /**
     * The caller's user name, or null after answering 401.
     *
     * @param skipEntirely the planted "no authentication at all" flaw
     */
    private String authorized(HttpExchange ex, TestJwt.Skip skip, boolean skipEntirely) throws IOException {
        if (skipEntirely) {
            return "anonymous";
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String user = header != null && header.startsWith("Bearer ")
                ? jwt.verify(header.substring(7).trim(), skip)
                : null;
        if (user != null
                && !vulnerable()
                && revokedTokens.contains(TestJwt.tokenId(header.substring(7).trim()))) {
            user = null; // logged out
        }
        if (user == null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            respond(ex, 401, Map.of("error", "unauthorized"));
        }
        return user;
    }

    /** The planted "any token will do" flaw: only checks that some bearer token is present. */
    private String anyBearer(HttpExchange ex) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Bearer ") && header.length() > 7) {
            return "someone";
        }
        respond(ex, 401, Map.of("error", "unauthorized"));
        return null;
    }

    private static void pause(String seconds) {
        try {
            Thread.sleep(Math.min(5, Long.parseLong(seconds)) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static void notFound(HttpExchange ex) throws IOException {
        respond(ex, 404, Map.of("error", "not found"));
    }

    private static void respond(HttpExchange ex, int status, Object body) throws IOException {
        respondText(ex, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void respondText(HttpExchange ex, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static Map<String, Object> product(int id, String name, String category, double price) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", id);
        product.put("name", name);
        product.put("category", category);
        product.put("price", price);
        return product;
    }

    private static Map<String, Object> order(int id, int productId, int quantity) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", id);
        order.put("productId", productId);
        order.put("quantity", quantity);
        order.put("status", "open");
        return order;
    }
}
