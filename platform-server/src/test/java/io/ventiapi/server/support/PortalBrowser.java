package io.ventiapi.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser at the login page, as a person signs in to the portal: it keeps its cookies (its
 * sign-in session), follows no redirect by itself, and plays the portal's part of the
 * authorization code flow with PKCE.
 */
public final class PortalBrowser {

    /** Where the portal client receives its codes. */
    public static final String REDIRECT = LocalServicesInitializer.ISSUER + "/login/oauth2/code/venti";

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public PortalBrowser(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A new PKCE code verifier. */
    public static String verifier() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challenge(String verifier) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The portal's authorization request, as the browser is sent to it. */
    public HttpResponse<String> authorize(String challenge) {
        return get("/oauth2/authorize?response_type=code&client_id=venti-portal&scope=openid%20profile"
                + "&state=st4te&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256");
    }

    /**
     * Signs in at the login page from the portal's authorization request, and gives the code the
     * portal gets: the member goes straight from the login page back to the authorization request.
     */
    public String signIn(String username, String password, String challenge) {
        var first = authorize(challenge);
        assertThat(location(first)).endsWith("/login");
        var login = postLogin(username, password);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(location(login)).as("back to the authorization request").contains("/oauth2/authorize");
        return code(get(location(login)));
    }

    /** The code in a redirect to the portal; fails the test if the response is anything else. */
    public static String code(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        var location = URI.create(location(redirect));
        assertThat(location.toString()).startsWith(REDIRECT);
        var query = query(location.getRawQuery());
        assertThat(query.get("state")).isEqualTo("st4te");
        assertThat(query).containsKey("code");
        return query.get("code");
    }

    public HttpResponse<String> postLogin(String username, String password) {
        return postForm("/login", Map.of("username", username, "password", password));
    }

    /** Submits the form of the page at {@code path} (its CSRF token read from the page) to that path. */
    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        var page = get(path);
        var matcher = CSRF.matcher(page.body());
        assertThat(matcher.find())
                .as("CSRF token on " + path + ": " + page.body())
                .isTrue();
        var withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", matcher.group(1));
        return post(path, withToken);
    }

    /** Posts a form as is, with no CSRF token unless given. */
    public HttpResponse<String> post(String path, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(form(fields)));
    }

    /** Exchanges a code at the token endpoint, as the portal does. */
    public Api.Response exchange(String code, String verifier) {
        var fields = new LinkedHashMap<String, String>();
        fields.put("grant_type", "authorization_code");
        fields.put("code", code);
        fields.put("redirect_uri", REDIRECT);
        fields.put("client_id", "venti-portal");
        fields.put("code_verifier", verifier);
        return tokenRequest(fields);
    }

    private Api.Response tokenRequest(Map<String, String> fields) {
        var response = send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form(fields)));
        return new Api.Response(response.statusCode(), response.body(), response);
    }

    /** GETs a path of the platform, or an address a redirect named. */
    public HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(URI.create(url(pathOrUrl)))
                .header("Accept", "text/html")
                .GET());
    }

    private String url(String pathOrUrl) {
        if (pathOrUrl.startsWith("http")) {
            // Redirects name the issuer's address; the server is here.
            var uri = URI.create(pathOrUrl);
            return base + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        return base + pathOrUrl;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where a redirect goes; fails the test if it is none. */
    public static String location(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Location")
                .orElseThrow(
                        () -> new AssertionError("no redirect but " + response.statusCode() + ": " + response.body()));
    }

    public static Map<String, String> query(String raw) {
        var values = new LinkedHashMap<String, String>();
        if (raw == null) {
            return values;
        }
        for (var pair : raw.split("&")) {
            var parts = pair.split("=", 2);
            values.put(parts[0], parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return values;
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }
}
