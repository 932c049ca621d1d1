package io.ventiapi.server.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The walkthrough, as a new user would do it through GraphQL only, with a CI client's
 * scopes: create a project, upload the Swagger Petstore 3.0, list its operations, start a scan,
 * and find all three in an intact audit log.
 */
@VentiIntegrationTest
class CoreApiWalkthroughIT {

    static final Path CORPUS = System.getProperty("venti.corpus.dir") != null
            ? Path.of(System.getProperty("venti.corpus.dir"))
            : Path.of("..", "..", "shared", "openapi-corpus").toAbsolutePath().normalize();

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApiClientService clients;

    @Test
    void createUploadListStartAndAudit() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the shared OpenAPI corpus is not beside the repository");
        var api = new Api(port);
        var acme = tenants.create("walkthrough");
        var ci = SystemActor.call(
                acme.id(),
                () -> clients.create(
                        "CI pipeline",
                        List.of(
                                Scopes.PROJECTS_READ,
                                Scopes.PROJECTS_WRITE,
                                Scopes.SCANS_READ,
                                Scopes.SCANS_WRITE,
                                Scopes.FINDINGS_READ,
                                Scopes.AUDIT_READ)));
        var token = api.token(ci.client().getClientId(), ci.clientSecret());

        var projectId = api.graphql(
                        token,
                        "mutation { createProject(input: {name: \"Petstore\", targetUrl: \"http://127.0.0.1:8081/api/v3\"})"
                                + " { project { id } errors { message } } }")
                .data("createProject.project.id")
                .asString();
        var upload = api.graphql(
                token,
                "mutation($p: ID!, $c: String!) { uploadSpec(input: {projectId: $p, content: $c}) {"
                        + " specVersion { id version operationCount } errors { message } } }",
                Map.of("p", projectId, "c", Files.readString(CORPUS.resolve("swaggerio-petstore3-v3.0.yaml"))));
        assertThat(upload.data("uploadSpec.specVersion.operationCount").asInt())
                .as(upload.body())
                .isEqualTo(19);
        var operations = api.graphql(
                        token,
                        "query($p: ID!) { project(id: $p) { latestSpec { operations(first: 100) {"
                                + " edges { node { method path operationId } } } } } }",
                        Map.of("p", projectId))
                .data("project.latestSpec.operations.edges");
        assertThat(operations).hasSize(19);
        assertThat(operations.get(0).get("node").get("path").asString()).isEqualTo("/pet");
        var scan = api.graphql(
                        token,
                        "mutation($p: ID!) { startScan(input: {projectId: $p}) { scan { id status } errors { message } } }",
                        Map.of("p", projectId))
                .data("startScan.scan");
        assertThat(scan.get("status").asString()).isEqualTo("QUEUED");

        var audit = api.graphql(
                token, "{ auditEvents(first: 10) { edges { node { action targetId } } } auditChainStatus { intact } }");
        var actions = new ArrayList<String>();
        audit.data("auditEvents.edges")
                .forEach(edge -> actions.add(edge.get("node").get("action").asString()));
        assertThat(actions).contains("project.create", "spec.upload", "scan.start");
        assertThat(audit.data("auditChainStatus.intact").asBoolean()).isTrue();
    }
}
