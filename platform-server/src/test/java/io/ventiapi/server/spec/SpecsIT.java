package io.ventiapi.server.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Specs through GraphQL: upload and import (through the SSRF guard, against a real local HTTP
 * server), validation with located problems, content-hash versions, operations, and the shared
 * corpus of real documents, each accepted or refused with a reason.
 */
@VentiIntegrationTest
class SpecsIT {

    static final Path CORPUS = System.getProperty("venti.corpus.dir") != null
            ? Path.of(System.getProperty("venti.corpus.dir"))
            : Path.of("..", "..", "shared", "openapi-corpus").toAbsolutePath().normalize();

    private static final String UPLOAD = """
            mutation($p: ID!, $c: String!) { uploadSpec(input: {projectId: $p, content: $c}) {
              created problems { location message } errors { code field message }
              specVersion { id version openapiVersion title source sourceUrl contentHash sizeBytes operationCount
                warnings { location message }
                operations(first: 100) { edges { node { method path operationId security } } } } } }""";
    private static final String IMPORT = """
            mutation($p: ID!, $u: String!) { importSpecFromUrl(input: {projectId: $p, url: $u}) {
              created errors { code field message } specVersion { id version source sourceUrl operationCount } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    String token;
    String projectId;
    HttpServer server;
    String base;
    final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        api = new Api(port);
        var acme = tenants.create("specs");
        var client = new TestProjects(context).fullAccessClient(acme.id());
        token = api.token(client.getKey(), client.getValue());
        projectId = api.graphql(
                        token,
                        "mutation { createProject(input: {name: \"Petstore\", targetUrl: \"http://127.0.0.1:9/\"}) {"
                                + " project { id } } }")
                .data("createProject.project.id")
                .asString();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/openapi.yaml", exchange -> {
            served.incrementAndGet();
            respond(exchange, TestProjects.SPEC);
        });
        server.createContext("/latest", exchange -> redirect(exchange, "/openapi.yaml?access_token=presigned-s3cret"));
        server.createContext("/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/openapi.json"));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void thePetstoreIsAcceptedWithItsOperationsAndTheSameContentAgainIsTheSameVersion() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the shared OpenAPI corpus is not beside the repository");
        var petstore = Files.readString(CORPUS.resolve("swaggerio-petstore3-v3.0.yaml"));

        var first = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", petstore));

        assertThat(first.data("uploadSpec.errors")).as(first.body()).isEmpty();
        assertThat(first.data("uploadSpec.created").asBoolean()).isTrue();
        var version = first.data("uploadSpec.specVersion");
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("openapiVersion").asString()).isEqualTo("3.0.4");
        assertThat(version.get("source").asString()).isEqualTo("UPLOAD");
        assertThat(version.get("operationCount").asInt()).isEqualTo(19);
        assertThat(version.get("operations").get("edges")).hasSize(19);
        assertThat(version.get("operations").toString())
                .contains(
                        "{\"method\":\"PUT\",\"path\":\"/pet\",\"operationId\":\"updatePet\",\"security\":[[\"petstore_auth\"]]}",
                        "{\"method\":\"GET\",\"path\":\"/pet/{petId}\",\"operationId\":\"getPetById\","
                                + "\"security\":[[\"api_key\"],[\"petstore_auth\"]]}");

        // Page by page, every operation once, in document order.
        var pages =
                "query($id: ID!, $after: String) { project(id: $id) { latestSpec { operations(first: 5, after: $after) {"
                        + " edges { node { method path } } pageInfo { hasNextPage endCursor } } } } }";
        var walked = new ArrayList<String>();
        String after = null;
        do {
            var variables = new HashMap<String, Object>(Map.of("id", projectId));
            variables.put("after", after);
            var page = api.graphql(token, pages, variables).data("project.latestSpec.operations");
            page.get("edges")
                    .forEach(edge -> walked.add(edge.get("node").get("method").asString() + " "
                            + edge.get("node").get("path").asString()));
            after = page.get("pageInfo").get("hasNextPage").asBoolean()
                    ? page.get("pageInfo").get("endCursor").asString()
                    : null;
        } while (after != null);
        var all = new ArrayList<String>();
        version.get("operations")
                .get("edges")
                .forEach(edge -> all.add(edge.get("node").get("method").asString() + " "
                        + edge.get("node").get("path").asString()));
        assertThat(walked).hasSize(19).isEqualTo(all);

        var again = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", petstore));
        assertThat(again.data("uploadSpec.created").asBoolean()).isFalse();
        assertThat(again.data("uploadSpec.specVersion.id").asString())
                .isEqualTo(version.get("id").asString());

        var second = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", TestProjects.SPEC));
        assertThat(second.data("uploadSpec.specVersion.version").asInt()).isEqualTo(2);

        var project = api.graphql(
                token,
                "query($id: ID!) { project(id: $id) { latestSpec { version title }"
                        + " specVersions { edges { node { version } } } } }",
                Map.of("id", projectId));
        assertThat(project.data("project.latestSpec.version").asInt()).isEqualTo(2);
        var versions = new ArrayList<Integer>();
        project.data("project.specVersions.edges")
                .forEach(edge -> versions.add(edge.get("node").get("version").asInt()));
        assertThat(versions).containsExactly(2, 1);
    }

    @Test
    void anInvalidDocumentIsRefusedWithEachProblemAndItsLocation() {
        var broken = """
                openapi: 3.0.3
                info:
                  title: Broken
                paths:
                  /pets:
                    get:
                      summary: no responses
                """;

        var response = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", broken));

        assertThat(response.data("uploadSpec.specVersion").isNull()).isTrue();
        assertThat(response.data("uploadSpec.errors").get(0).get("code").asString())
                .isEqualTo("INVALID_INPUT");
        assertThat(response.data("uploadSpec.problems").toString())
                .contains(
                        "{\"location\":\"info.version\",\"message\":\"is missing\"}",
                        "{\"location\":\"paths.'/pets'(get).responses\",\"message\":\"is missing\"}");
        assertThat(response.body()).doesNotContain("Exception", "at io.");
    }

    @Test
    void aDocumentOverTheSizeLimitIsRefused() {
        var huge = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n# " + "x".repeat(10 * 1024 * 1024);

        var response = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", huge));

        assertThat(response.data("uploadSpec.errors").get(0).get("message").asString())
                .contains("the limit is 10485760");
    }

    @Test
    void aByteOrderMarkIsNeitherCheckedNorStored() throws Exception {
        var json =
                "{\n\t\"openapi\": \"3.0.3\",\n\t\"info\": {\"title\": \"bom\", \"version\": \"1\"},\n\t\"paths\": {}\n}";

        var marked = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", "\uFEFF" + json));
        var plain = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", json));

        assertThat(marked.data("uploadSpec.errors")).as(marked.body()).isEmpty();
        assertThat(plain.data("uploadSpec.created").asBoolean())
                .as("the same document")
                .isFalse();
        try (var owner = LocalDatabase.asOwner();
                var select = owner.prepareStatement("select content from spec_documents where spec_version_id = ?")) {
            select.setObject(
                    1,
                    java.util.UUID.fromString(
                            marked.data("uploadSpec.specVersion.id").asString()));
            try (var rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).as("as a scanner will read it").isEqualTo(json);
            }
        }
    }

    @Test
    void aDocumentIsImportedFromAUrlFollowingARedirect() {
        var response = api.graphql(token, IMPORT, Map.of("p", projectId, "u", base + "/latest"));

        assertThat(response.data("importSpecFromUrl.errors"))
                .as(response.body())
                .isEmpty();
        var version = response.data("importSpecFromUrl.specVersion");
        assertThat(version.get("source").asString()).isEqualTo("URL");
        assertThat(version.get("sourceUrl").asString())
                .as("a query string may carry an access token: it is not kept")
                .isEqualTo(base + "/openapi.yaml");
        assertThat(response.body()).doesNotContain("presigned-s3cret");
        assertThat(version.get("operationCount").asInt()).isEqualTo(2);
        assertThat(served).hasValue(1);
    }

    @Test
    void urlsReachingInternalAddressesAreRefusedEvenAfterARedirect() {
        for (var url : List.of(
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/openapi.json", base + "/to-metadata")) {
            var response = api.graphql(token, IMPORT, Map.of("p", projectId, "u", url));
            var error = response.data("importSpecFromUrl.errors").get(0);
            assertThat(error.get("code").asString()).as(url).isEqualTo("INVALID_INPUT");
            assertThat(error.get("field").asString()).isEqualTo("url");
            assertThat(error.get("message").asString()).contains("does not connect to");
        }
    }

    /** Every real document of the corpus, uploaded as a customer would: accepted, or refused saying why. */
    @Test
    void everyCorpusDocumentIsAcceptedOrRefusedWithAReason() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the shared OpenAPI corpus is not beside the repository");
        var documents = new ArrayList<Path>();
        try (var files = Files.list(CORPUS)) {
            files.filter(file ->
                            file.toString().endsWith(".json") || file.toString().endsWith(".yaml"))
                    .sorted()
                    .forEach(documents::add);
        }
        documents.add(CORPUS.resolve("oai-petstore-separate-v2/spec/swagger.yaml"));
        documents.add(CORPUS.resolve("redocly-openapi-starter/openapi.yaml"));
        documents.add(CORPUS.resolve("digitalocean-public-v2/DigitalOcean-public.v2.yaml"));
        int accepted = 0;
        for (var document : documents) {
            var response = api.graphql(token, UPLOAD, Map.of("p", projectId, "c", Files.readString(document)));
            var name = CORPUS.relativize(document).toString();
            assertThat(response.status()).as(name).isEqualTo(200);
            var version = response.data("uploadSpec.specVersion");
            if (version != null && !version.isNull()) {
                accepted++;
                System.out.printf(
                        "corpus: %-55s accepted  %s, %d operations, %d warnings%n",
                        name,
                        version.get("openapiVersion").asString(),
                        version.get("operationCount").asInt(),
                        version.get("warnings").size());
            } else {
                var problems = response.data("uploadSpec.problems");
                assertThat(problems).as(name + ": " + response.body()).isNotEmpty();
                assertThat(response.data("uploadSpec.errors").get(0).get("code").asString())
                        .isEqualTo("INVALID_INPUT");
                System.out.printf(
                        "corpus: %-55s refused   %s: %s%n",
                        name,
                        problems.get(0).get("location").asString(),
                        problems.get(0).get("message").asString());
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(30);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/yaml");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
