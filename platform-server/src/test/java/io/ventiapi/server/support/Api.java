package io.ventiapi.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the running platform over real HTTP, as customer tooling would. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    /** A client-credentials token; fails the test if the server refuses. */
    public String token(String clientId, String clientSecret) {
        var response = tokenResponse(clientId, clientSecret);
        if (response.status() != 200) {
            throw new AssertionError("token request refused: " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asString();
    }

    public Response tokenResponse(String clientId, String clientSecret) {
        var basic =
                Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    public Response graphql(String token, String query) {
        return graphql(token, query, Map.of());
    }

    public Response graphql(String token, String query, Map<String, ?> variables) {
        return post("/graphql", token, JSON.writeValueAsString(Map.of("query", query, "variables", variables)));
    }

    public Response post(String path, String token, String body) {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP response, with its body parsed as JSON on demand. */
    public record Response(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** {@code data.<path>} of a GraphQL response, dot-separated. */
        public JsonNode data(String path) {
            JsonNode node = json().get("data");
            for (var part : path.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            return node;
        }

        /** The {@code extensions.code} of a GraphQL response's first error; null if it has none. */
        public String firstErrorCode() {
            var code = json().path("errors").path(0).path("extensions").path("code");
            return code.isMissingNode() ? null : code.asString();
        }
    }
}
