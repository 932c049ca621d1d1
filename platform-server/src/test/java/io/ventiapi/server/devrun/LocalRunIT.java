package io.ventiapi.server.devrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The newcomer's path, on the packaged executable with nothing configured: embedded PostgreSQL
 * and Redis start, the demo credentials file works, and after a restart the same token still
 * works and the data is still there.
 */
class LocalRunIT {

    private static final Path JAR = Path.of("target/platform-server.jar");
    private static final String VIEWER = "{ viewer { name kind tenant { id } } }";

    @TempDir
    Path home;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(Duration.ofSeconds(30));
            process.destroyForcibly();
        }
    }

    @Test
    void theLocalRunComesUpWithDemoCredentialsAndSurvivesARestart() throws Exception {
        int port = freePort();
        var firstLog = home.resolve("first.log");
        start(port, firstLog);
        var api = new Api(port);

        var file = home.resolve("dev/demo-credentials.json");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        JsonNode credentials = Api.JSON.readTree(file.toFile());
        assertThat(credentials.get("tokenUrl").asString()).isEqualTo("http://localhost:" + port + "/oauth2/token");
        assertThat(credentials.get("graphqlUrl").asString()).isEqualTo("http://localhost:" + port + "/graphql");
        var log = Files.readString(firstLog);
        assertThat(log)
                .contains("started embedded PostgreSQL", "started embedded Redis")
                .contains("curl -s -u \"$(jq -r '.ci.clientId + \":\" + .ci.clientSecret' " + file + ")\"")
                .as("no secret in the log")
                .doesNotContain(credentials.get("ci").get("clientSecret").asString())
                .doesNotContain(
                        credentials.get("platformAdmin").get("clientSecret").asString())
                .doesNotContain(credentials
                        .get("users")
                        .get("tenantAdmin")
                        .get("password")
                        .asString());

        var token = api.token(
                credentials.get("ci").get("clientId").asString(),
                credentials.get("ci").get("clientSecret").asString());
        var viewer = api.graphql(token, VIEWER);
        assertThat(viewer.data("viewer.tenant.id").asString()).isEqualTo("demo");
        assertThat(viewer.data("viewer.kind").asString()).isEqualTo("API_CLIENT");
        assertThat(api.graphql(null, VIEWER).status()).isEqualTo(401);
        assertThat(api.get("/graphiql?path=/graphql").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/liveness").body()).contains("UP");
        assertThat(api.get("/actuator/health/readiness").body()).contains("UP");
        assertThat(api.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");

        var operator = api.token(
                credentials.get("platformAdmin").get("clientId").asString(),
                credentials.get("platformAdmin").get("clientSecret").asString());
        var created = api.graphql(
                operator,
                "mutation { createTenant(input: {id: \"kept\", name: \"Kept\"}) { tenant { id } errors { code } } }");
        assertThat(created.data("createTenant.tenant.id").asString()).isEqualTo("kept");

        stop();
        var secondLog = home.resolve("second.log");
        start(port, secondLog);

        assertThat(Files.readString(secondLog)).doesNotContain("curl -s -u").contains("Demo tenant ready");
        assertThat(api.graphql(token, VIEWER).data("viewer.tenant.id").asString())
                .isEqualTo("demo");
        assertThat(api.graphql(operator, "{ tenants(first: 50) { edges { node { id } } } }")
                        .body())
                .contains("\"kept\"");

        // The tour: scan the demo project (its target, the demo API, listens on a new port after
        // the restart) through the runner role's local launcher, from the packaged jar.
        var project = api.graphql(token, "{ projects(first: 10) { edges { node { id name } } } }")
                .data("projects.edges")
                .get(0)
                .get("node");
        assertThat(project.get("name").asString()).isEqualTo("Demo shop");
        var scanId = api.graphql(
                        token,
                        "mutation($p: ID!) { startScan(input: {projectId: $p}) { scan { id } } }",
                        java.util.Map.of("p", project.get("id").asString()))
                .data("startScan.scan.id")
                .asString();
        var deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        JsonNode scan;
        do {
            Thread.sleep(500);
            scan = api.graphql(
                            token,
                            "query($id: ID!) { scan(id: $id) { status failureReason changes { new } } }",
                            java.util.Map.of("id", scanId))
                    .data("scan");
        } while (List.of("QUEUED", "RUNNING").contains(scan.get("status").asString()) && System.nanoTime() < deadline);
        assertThat(scan.get("status").asString()).as(scan.toString()).isEqualTo("SUCCEEDED");
        assertThat(scan.at("/changes/new").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(api.graphql(
                                token,
                                "{ findings(first: 100, filter: {ruleId: \"access.bola\"}) { edges { node { id } } } }")
                        .data("findings.edges"))
                .as("two demo users of one role reach the access-control checks")
                .isNotEmpty();
    }

    private void start(int port, Path log) throws IOException, InterruptedException {
        var java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        JAR.toString(),
                        "--venti.dev-services.dir=" + home.resolve("dev"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        process = builder.start();
        var api = new Api(port);
        var deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the platform exited: " + Files.readString(log));
            }
            try {
                if (api.get("/actuator/health/readiness").status() == 200
                        && Files.readString(log).contains("Started VentiApplication")) {
                    return;
                }
            } catch (IllegalStateException notYetListening) {
                // keep waiting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the platform did not become ready: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
