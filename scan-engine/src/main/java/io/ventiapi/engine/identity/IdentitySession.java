package io.ventiapi.engine.identity;

import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.TargetClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An identity with its current credentials; tokens are fetched lazily and again when they expire. */
public final class IdentitySession {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.util.List<String> TOKEN_FIELDS = java.util.List.of(
            "access_token",
            "accessToken",
            "auth_token",
            "authToken",
            "token",
            "jwt",
            "id_token",
            "idToken",
            "session_token");
    private static final java.util.regex.Pattern JWT_SHAPE =
            java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** Refresh a little early so a token does not expire between being read and being checked by the target. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    private static final java.util.regex.Pattern USER_FIELD =
            java.util.regex.Pattern.compile("(?i)^(user_?name|username|user|login|e-?mail|mail|account|name)$");
    private static final java.util.regex.Pattern PRIVILEGED_ROLE =
            java.util.regex.Pattern.compile("(?i).*(admin|root|superuser|staff|operator).*");

    private final Identity identity;
    private final TargetClient target;
    private final String role;
    private Credentials current;
    private Instant expiresAt = Instant.MAX;
    /** Renewed tokens the target refused in a row, with no request of this identity accepted since. */
    private int uselessRenewals;
    /** After this many, {@link #invalidate} renews no more: the target refuses the identity. */
    static final int MAX_USELESS_RENEWALS = 3;
    /** Every secret value this identity sent or was given, shared with its {@link #fresh} sessions. */
    private final Set<String> secrets;

    public IdentitySession(Identity identity, TargetClient target) {
        this(identity, target, null);
    }

    /**
     * @param role the role the user declared for this identity ({@code user}, {@code admin}, …), or null
     */
    public IdentitySession(Identity identity, TargetClient target, String role) {
        this(identity, target, role, ConcurrentHashMap.newKeySet());
        keysOf(identity).forEach(this::remember);
    }

    /**
     * The secret values an identity is given, which evidence must not show wherever a target echoes them: keys,
     * tokens and client secrets; a basic password, alone and with its user name as the header sends them; a login's
     * password (a field named like one, as the platform requires). Kept out here, with the values the scan was given: the platform also removes
     * the secrets its project holds, but those are no longer these once a person changed one during the scan.
     */
    public static Set<String> keysOf(Identity identity) {
        Set<String> keys = new java.util.HashSet<>();
        switch (identity) {
            case Identity.ApiKey apiKey -> keys.add(apiKey.value());
            case Identity.Bearer bearer -> keys.add(bearer.token());
            case Identity.OAuth2ClientCredentials oauth -> keys.add(oauth.clientSecret());
            case Identity.Basic basic -> {
                keys.add(basic.password());
                keys.add(java.util.Base64.getEncoder()
                        .encodeToString((basic.username() + ":" + basic.password())
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            case Identity.LoginFlow login ->
                login.fields().forEach((name, value) -> {
                    if (name.toLowerCase(java.util.Locale.ROOT).contains("pass")) {
                        keys.add(value);
                    }
                });
            case Identity.Anonymous ignored -> {}
        }
        keys.removeIf(key -> key == null || key.isEmpty());
        return Set.copyOf(keys);
    }

    private IdentitySession(Identity identity, TargetClient target, String role, Set<String> secrets) {
        this.identity = identity;
        this.target = target;
        this.role = role == null || role.isBlank() ? null : role.trim();
        this.secrets = secrets;
    }

    /**
     * The secret values this identity and its fresh sessions were given or obtained so far (keys,
     * client secrets, fetched tokens and session cookies), for keeping them out of evidence
     * wherever a target echoed them.
     */
    public Set<String> secrets() {
        return java.util.Collections.unmodifiableSet(secrets);
    }

    private void remember(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    public Identity identity() {
        return identity;
    }

    /** The declared role, or null when none was declared. */
    public String role() {
        return role;
    }

    /** Whether the declared role is an administrative one. */
    public boolean isPrivileged() {
        return role != null && PRIVILEGED_ROLE.matcher(role).matches();
    }

    /** Whether a role was declared and it is not an administrative one. */
    public boolean isDeclaredUnprivileged() {
        return role != null && !isPrivileged();
    }

    /**
     * The user name this identity logs in with (basic, or the user field of a login flow), if it has one: the
     * account exists, which checks on account operations rely on.
     */
    public java.util.Optional<String> userName() {
        return switch (identity) {
            case Identity.Basic basic -> java.util.Optional.of(basic.username());
            case Identity.LoginFlow login ->
                login.fields().entrySet().stream()
                        .filter(field -> USER_FIELD.matcher(field.getKey()).matches())
                        .map(Map.Entry::getValue)
                        .findFirst();
            default -> java.util.Optional.empty();
        };
    }

    /**
     * The fields of this identity's login request other than its user name (the password, a one-time code), when
     * it logs in with the given method and path; empty otherwise. A wrong value in them is a failed login of a
     * real account, which lockout counts against the scan's own identity.
     */
    public Set<String> loginSecretFields(String method, String path) {
        if (!(identity instanceof Identity.LoginFlow login)
                || !(login.method() == null ? "POST" : login.method()).equalsIgnoreCase(method)
                || !login.path().split("\\?", 2)[0].equals(path)) {
            return Set.of();
        }
        return login.fields().keySet().stream()
                .filter(name -> !USER_FIELD.matcher(name).matches())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The identity's label, for evidence. */
    public String label() {
        return identity.label();
    }

    /**
     * A second, independent session of the same identity: a login flow logs in again and gets its own token
     * (used where a check ends a session, so the scan's own session stays valid).
     */
    public IdentitySession fresh() {
        return new IdentitySession(identity, target, role, secrets);
    }

    /**
     * The same kind of credential as this identity's, in the same place, with a value the target cannot have
     * issued: what a refusal looks like is learned from the answer to it.
     */
    public Credentials invalidLookalike() {
        String fake = "venti" + java.util.UUID.randomUUID().toString().replace("-", "");
        return switch (identity) {
            case Identity.ApiKey key ->
                switch (key.in()) {
                    case HEADER -> new Credentials(Map.of(key.name(), fake), Map.of(), Map.of(), null);
                    case QUERY -> new Credentials(Map.of(), Map.of(key.name(), fake), Map.of(), null);
                    case COOKIE -> new Credentials(Map.of(), Map.of(), Map.of(key.name(), fake), null);
                };
            case Identity.Basic basic ->
                new Credentials(
                        Map.of(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((basic.username() + ":" + fake)
                                                        .getBytes(StandardCharsets.UTF_8))),
                        Map.of(),
                        Map.of(),
                        null);
            default -> credentials().withToken(fake);
        };
    }

    /** Whether this identity sends any credential at all. */
    public boolean isAuthenticated() {
        return !(identity instanceof Identity.Anonymous);
    }

    /**
     * The credentials to send now.
     *
     * @throws AuthenticationFailedException if they cannot be obtained
     */
    public synchronized Credentials credentials() {
        if (current == null || Instant.now().isAfter(expiresAt.minus(EXPIRY_MARGIN))) {
            current = authenticate();
            remember(current.bearerToken());
            current.query().values().forEach(this::remember);
            current.cookies().values().forEach(this::remember);
        }
        return current;
    }

    /**
     * Whether a request went with this session's credentials as they are now (none are fetched to tell): its
     * headers, query parameters and cookies. Clean-up deletes an object as the identity that created it.
     */
    public synchronized boolean sent(io.ventiapi.engine.http.ProbeRequest request) {
        if (current == null
                || (current.headers().isEmpty()
                        && current.query().isEmpty()
                        && current.cookies().isEmpty())) {
            return false;
        }
        for (var header : current.headers().entrySet()) {
            if (!header.getValue().equals(request.header(header.getKey()))) {
                return false;
            }
        }
        String path = request.pathAndQuery();
        String query = path.contains("?") ? "&" + path.substring(path.indexOf('?') + 1) + "&" : "";
        for (var parameter : current.query().entrySet()) {
            String pair = java.net.URLEncoder.encode(parameter.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                    + java.net.URLEncoder.encode(parameter.getValue(), java.nio.charset.StandardCharsets.UTF_8);
            if (!query.contains("&" + pair + "&")) {
                return false;
            }
        }
        String cookies = request.header("Cookie") == null ? "" : "; " + request.header("Cookie") + ";";
        for (var cookie : current.cookies().entrySet()) {
            if (!cookies.contains("; " + cookie.getKey() + "=" + cookie.getValue() + ";")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Forgets the current token after the target rejected it, so that the next call fetches a new
     * one; true if it did. Once {@value #MAX_USELESS_RENEWALS} renewed tokens in a row were rejected
     * too ({@link #renewalDidNotHelp}) and no request of this identity was accepted since ({@link
     * #accepted}), the target refuses the identity, not its token, and no more tokens are fetched:
     * a token endpoint is no target, and neither the scan's rate nor its budget counts requests to
     * it.
     */
    public synchronized boolean invalidate() {
        if (uselessRenewals >= MAX_USELESS_RENEWALS) {
            return false;
        }
        current = null;
        return true;
    }

    /** A renewed token was rejected as well: see {@link #invalidate}. */
    public synchronized void renewalDidNotHelp() {
        uselessRenewals++;
    }

    /**
     * The target accepted this identity on an operation that requires credentials: its tokens are
     * worth renewing.
     */
    public synchronized void accepted() {
        uselessRenewals = 0;
    }

    private Credentials authenticate() {
        return switch (identity) {
            case Identity.Anonymous ignored -> Credentials.none();
            case Identity.Bearer bearer -> Credentials.token(bearer.header(), bearer.scheme(), bearer.token());
            case Identity.Basic basic ->
                new Credentials(
                        Map.of(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((basic.username() + ":" + basic.password())
                                                        .getBytes(StandardCharsets.UTF_8))),
                        Map.of(),
                        Map.of(),
                        null);
            case Identity.ApiKey key ->
                switch (key.in()) {
                    case HEADER -> new Credentials(Map.of(key.name(), key.value()), Map.of(), Map.of(), null);
                    case QUERY -> new Credentials(Map.of(), Map.of(key.name(), key.value()), Map.of(), null);
                    case COOKIE -> new Credentials(Map.of(), Map.of(), Map.of(key.name(), key.value()), null);
                };
            case Identity.OAuth2ClientCredentials oauth -> clientCredentials(oauth);
            case Identity.LoginFlow login -> login(login);
        };
    }

    private Credentials clientCredentials(Identity.OAuth2ClientCredentials oauth) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        appendForm(form, "client_id", oauth.clientId());
        appendForm(form, "client_secret", oauth.clientSecret());
        if (oauth.scope() != null && !oauth.scope().isBlank()) {
            appendForm(form, "scope", oauth.scope());
        }
        URI tokenUri = target.target().resolve(oauth.tokenUrl());
        // Straight to the token endpoint, like every request to the target: a proxy would resolve its
        // name itself, past the addresses the scan was given (--resolve).
        try (HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(tokenUri)
                            .timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AuthenticationFailedException("identity '" + oauth.label() + "': the token endpoint "
                        + tokenUri + " answered HTTP " + response.statusCode());
            }
            JsonNode json = JSON.readTree(response.body());
            String token = json.path("access_token").asString("");
            if (token.isEmpty()) {
                throw new AuthenticationFailedException(
                        "identity '" + oauth.label() + "': the token response has no access_token");
            }
            long expiresIn = json.path("expires_in").asLong(0);
            expiresAt = expiresIn > 0 ? Instant.now().plusSeconds(expiresIn) : Instant.MAX;
            return Credentials.bearer(token);
        } catch (JacksonException e) {
            // Not the parser's message: it quotes the response, which may be the token itself.
            throw new AuthenticationFailedException(
                    "identity '" + oauth.label() + "': the token endpoint " + tokenUri + " answered with no JSON");
        } catch (IOException e) {
            throw new AuthenticationFailedException("identity '" + oauth.label() + "': cannot fetch a token from "
                    + tokenUri + ": " + TargetClient.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationFailedException("identity '" + oauth.label() + "': interrupted");
        }
    }

    private Credentials login(Identity.LoginFlow login) {
        byte[] body = login.form() ? formBody(login.fields()) : JSON.writeValueAsBytes(login.fields());
        String contentType = login.form() ? "application/x-www-form-urlencoded" : "application/json";
        String method = login.method() == null ? "POST" : login.method().toUpperCase(Locale.ROOT);
        ProbeResponse response = target.send(new ProbeRequest(
                method, login.path(), Map.of("Content-Type", contentType, "Accept", "application/json"), body));
        if (!response.isSuccess()) {
            throw new AuthenticationFailedException("identity '" + login.label() + "': login at " + login.path()
                    + " answered HTTP " + response.status());
        }
        JsonNode json = response.json().orElse(null);
        String token = json == null
                ? null
                : login.tokenPointer() != null ? json.at(login.tokenPointer()).asString("") : findToken(json);
        if (token != null && !token.isEmpty()) {
            return Credentials.token(login.header(), login.scheme(), token);
        }
        // Session-cookie logins answer with Set-Cookie and no token: the cookies are the credential.
        Map<String, String> cookies = sessionCookies(response);
        if (login.tokenPointer() == null && !cookies.isEmpty()) {
            return new Credentials(Map.of(), Map.of(), cookies, null);
        }
        throw new AuthenticationFailedException("identity '" + login.label() + "': no token in the login response"
                + (login.tokenPointer() == null ? " and no session cookie" : " at " + login.tokenPointer()));
    }

    private static byte[] formBody(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> sessionCookies(ProbeResponse response) {
        Map<String, String> cookies = new java.util.LinkedHashMap<>();
        for (String header : response.headers().getOrDefault("set-cookie", java.util.List.of())) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return cookies;
    }

    /**
     * The token in a login response: a field with a usual token name at any depth, else the first string that
     * is shaped like a JWT, else the first string field whose name contains "token".
     */
    static String findToken(JsonNode json) {
        for (String name : TOKEN_FIELDS) {
            JsonNode node = json.findValue(name);
            if (node != null && node.isString() && !node.asString().isBlank()) {
                return node.asString();
            }
        }
        String jwt = firstString(json, (name, value) -> JWT_SHAPE.matcher(value).matches());
        return jwt != null
                ? jwt
                : firstString(
                        json, (name, value) -> name.toLowerCase(Locale.ROOT).contains("token"));
    }

    private static String firstString(JsonNode node, java.util.function.BiPredicate<String, String> wanted) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getValue().isString()
                        && wanted.test(field.getKey(), field.getValue().asString())) {
                    return field.getValue().asString();
                }
                String nested = firstString(field.getValue(), wanted);
                if (nested != null) {
                    return nested;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String nested = firstString(item, wanted);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private static void appendForm(StringBuilder form, String name, String value) {
        form.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
