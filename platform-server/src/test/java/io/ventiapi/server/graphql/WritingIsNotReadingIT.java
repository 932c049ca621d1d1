package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A client that may change an object but not read it makes the change and does not see the
 * object in the mutation's payload: the field is refused as reading it anywhere else would be.
 */
@VentiIntegrationTest
class WritingIsNotReadingIT {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture acme;
    TestProjects.Seeded seeded;
    String reader;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("write-only");
        var projects = new TestProjects(context);
        seeded = projects.seed(acme.id(), "Shop", 1);
        var full = projects.fullAccessClient(acme.id());
        reader = api.token(full.getKey(), full.getValue());
    }

    @Test
    void aTriageOnlyClientTriagesWithoutSeeingTheFinding() {
        var findingId = seeded.findingIds().getFirst().toString();
        var response = api.graphql(
                tokenHolding(Scopes.FINDINGS_TRIAGE),
                """
                mutation($input: TriageFindingInput!) { triageFinding(input: $input) {
                  finding { id title evidence { response } } errors { code } } }""",
                Map.of("input", Map.of("id", findingId, "status", "FALSE_POSITIVE", "reason", "test data")));

        assertRefusedButApplied(response, "triageFinding", "finding");
        assertThat(response.body()).doesNotContain("Object of another user readable", "bob");
        assertThat(api.graphql(reader, "query($id: ID!) { finding(id: $id) { status } }", Map.of("id", findingId))
                        .data("finding.status")
                        .asString())
                .isEqualTo("FALSE_POSITIVE");
    }

    @Test
    void aProjectWriterCreatesWithoutSeeingTheProjectAndGoesOnByItsId() {
        var writer = tokenHolding(Scopes.PROJECTS_WRITE);
        var response = api.graphql(
                writer, """
                mutation($input: CreateProjectInput!) { createProject(input: $input) {
                  project { id name targetUrl } projectId errors { code } } }""", Map.of("input", Map.of("name", "Blind", "targetUrl", "http://127.0.0.1:9/blind")));

        assertRefusedButApplied(response, "createProject", "project");
        assertThat(response.body()).doesNotContain("127.0.0.1:9/blind");
        var projectId = response.data("createProject.projectId").asString();
        assertThat(api.graphql(reader, "query($id: ID!) { project(id: $id) { name } }", Map.of("id", projectId))
                        .data("project.name")
                        .asString())
                .isEqualTo("Blind");

        var archived = api.graphql(
                writer,
                "mutation($id: ID!) { archiveProject(input: {id: $id}) { projectId errors { code } } }",
                Map.of("id", projectId));
        assertThat(archived.json().has("errors")).as(archived.body()).isFalse();
        assertThat(archived.data("archiveProject.projectId").asString()).isEqualTo(projectId);
    }

    @Test
    void aScanWriterStartsWithoutSeeingTheScanAndCancelsItByItsId() {
        var writer = tokenHolding(Scopes.SCANS_WRITE);
        var response = api.graphql(
                writer,
                "mutation($id: ID!) { startScan(input: {projectId: $id}) { scan { id status } scanId errors { code } } }",
                Map.of("id", seeded.projectId().toString()));

        assertRefusedButApplied(response, "startScan", "scan");
        var scanId = response.data("startScan.scanId").asString();
        assertThat(api.graphql(reader, "query($id: ID!) { scan(id: $id) { status } }", Map.of("id", scanId))
                        .data("scan.status")
                        .asString())
                .isEqualTo("QUEUED");

        var cancelled = api.graphql(
                writer,
                "mutation($id: ID!) { cancelScan(input: {id: $id}) { scanId errors { code } } }",
                Map.of("id", scanId));
        assertThat(cancelled.json().has("errors")).as(cancelled.body()).isFalse();
        assertThat(api.graphql(reader, "query($id: ID!) { scan(id: $id) { status } }", Map.of("id", scanId))
                        .data("scan.status")
                        .asString())
                .isEqualTo("CANCELLED");
    }

    @Test
    void aProjectWriterUploadsASpecWithoutSeeingTheVersion() {
        var projectId = seeded.projectId().toString();
        var response = api.graphql(
                tokenHolding(Scopes.PROJECTS_WRITE),
                """
                mutation($id: ID!, $c: String!) { uploadSpec(input: {projectId: $id, content: $c}) {
                  specVersion { id version } created errors { code } } }""",
                Map.of("id", projectId, "c", TestProjects.SPEC.replace("Test shop", "Test shop, again")));

        assertRefusedButApplied(response, "uploadSpec", "specVersion");
        assertThat(response.data("uploadSpec.created").asBoolean()).isTrue();
        assertThat(api.graphql(
                                reader,
                                "query($id: ID!) { project(id: $id) { latestSpec { version } } }",
                                Map.of("id", projectId))
                        .data("project.latestSpec.version")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void theReadScopeShowsEachChangedObject() {
        var triaged = api.graphql(
                tokenHolding(Scopes.FINDINGS_TRIAGE, Scopes.FINDINGS_READ),
                """
                mutation($input: TriageFindingInput!) { triageFinding(input: $input) {
                  finding { status title } errors { code } } }""",
                Map.of(
                        "input",
                        Map.of(
                                "id",
                                seeded.findingIds().getFirst().toString(),
                                "status",
                                "FALSE_POSITIVE",
                                "reason",
                                "test data")));
        assertShown(triaged, "triageFinding.finding.title", "Object of another user readable: fp-0");

        var projectWriter = tokenHolding(Scopes.PROJECTS_WRITE, Scopes.PROJECTS_READ);
        var created = api.graphql(
                projectWriter, """
                mutation($input: CreateProjectInput!) { createProject(input: $input) {
                  project { name } errors { code } } }""", Map.of("input", Map.of("name", "Seen", "targetUrl", "http://127.0.0.1:9/seen")));
        assertShown(created, "createProject.project.name", "Seen");

        var uploaded = api.graphql(
                projectWriter,
                """
                mutation($id: ID!, $c: String!) { uploadSpec(input: {projectId: $id, content: $c}) {
                  specVersion { version } errors { code } } }""",
                Map.of(
                        "id",
                        seeded.projectId().toString(),
                        "c",
                        TestProjects.SPEC.replace("Test shop", "Test shop, seen")));
        assertShown(uploaded, "uploadSpec.specVersion.version", "2");

        var started = api.graphql(
                tokenHolding(Scopes.SCANS_WRITE, Scopes.SCANS_READ),
                "mutation($id: ID!) { startScan(input: {projectId: $id}) { scan { status } errors { code } } }",
                Map.of("id", seeded.projectId().toString()));
        assertShown(started, "startScan.scan.status", "QUEUED");
    }

    private static void assertShown(Api.Response response, String path, String value) {
        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.data(path).asString()).as(response.body()).isEqualTo(value);
    }

    /** The mutation succeeded (no errors in its payload) and only its object was refused. */
    private static void assertRefusedButApplied(Api.Response response, String mutation, String object) {
        assertThat(response.data(mutation + ".errors")).as(response.body()).isEmpty();
        assertThat(response.data(mutation + "." + object).isNull())
                .as(response.body())
                .isTrue();
        var errors = response.json().get("errors");
        assertThat(errors).as(response.body()).hasSize(1);
        assertThat(errors.get(0).get("extensions").get("code").asString()).isEqualTo("FORBIDDEN");
        assertThat(errors.get(0).get("path").valueStream().map(part -> part.asString()))
                .containsExactly(mutation, object);
    }

    private String tokenHolding(String... scopes) {
        var client = SystemActor.call(
                acme.id(), () -> context.getBean(ApiClientService.class).create("limited", List.of(scopes)));
        return api.token(client.client().getClientId(), client.clientSecret());
    }
}
