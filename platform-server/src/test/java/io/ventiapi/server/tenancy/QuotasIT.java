package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.common.Plan;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A tenant's plan bounds how many projects, members, API clients and spec versions per project
 * it keeps: the creation past the quota is refused saying which quota and how to make room, and
 * making room lets the next one in. A FREE tenant, whose quotas are the smallest.
 */
@VentiIntegrationTest
class QuotasIT {

    private static final String CREATE_PROJECT = """
            mutation($name: String!) { createProject(input: {name: $name, targetUrl: "http://127.0.0.1:9/api"}) {
              project { id } errors { code message } } }""";
    private static final String ARCHIVE_PROJECT =
            "mutation($id: ID!) { archiveProject(input: {id: $id}) { errors { code message } } }";
    private static final String CREATE_CLIENT = """
            mutation($name: String!) { createApiClient(input: {name: $name, scopes: ["scans:read"]}) {
              apiClient { id } errors { code message } } }""";
    private static final String REVOKE_CLIENT =
            "mutation($id: ID!) { revokeApiClient(input: {id: $id}) { errors { code message } } }";
    private static final String INVITE = """
            mutation($username: String!) { inviteMember(input: {username: $username, role: VIEWER}) {
              member { id } errors { code message } } }""";
    private static final String UPLOAD = """
            mutation($p: ID!, $c: String!) { uploadSpec(input: {projectId: $p, content: $c}) {
              created specVersion { id version } errors { code message } } }""";
    private static final String DOCUMENT = """
            {"openapi": "3.0.3", "info": {"title": "quota", "version": "%s"},
             "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture free;
    String token;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        free = tenants.create("quota", Plan.FREE);
        var client = new TestProjects(context).fullAccessClient(free.id());
        token = api.token(client.getKey(), client.getValue());
    }

    @Test
    void projectsPastThePlansQuotaAreRefusedUntilOneIsArchived() throws Exception {
        var refused = createUntilRefused(CREATE_PROJECT, "name", "project", "createProject", "project");

        assertThat(refused.message())
                .contains(Plan.FREE.projects() + " projects that are not archived", "FREE", "archive one");
        assertThat(count("select count(*) from projects where tenant_id = ? and archived_at is null"))
                .isEqualTo(Plan.FREE.projects());
        var archived = api.graphql(token, ARCHIVE_PROJECT, Map.of("id", refused.lastCreated()));
        assertThat(archived.data("archiveProject.errors")).as(archived.body()).isEmpty();
        var next = api.graphql(token, CREATE_PROJECT, Map.of("name", "after archiving"));
        assertThat(next.data("createProject.errors")).as(next.body()).isEmpty();
    }

    @Test
    void apiClientsPastThePlansQuotaAreRefusedUntilOneIsRevoked() throws Exception {
        var refused = createUntilRefused(CREATE_CLIENT, "name", "client", "createApiClient", "apiClient");

        assertThat(refused.message()).contains(Plan.FREE.apiClients() + " API clients", "revoke one");
        assertThat(count("select count(*) from api_clients where tenant_id = ? and revoked_at is null"))
                .isEqualTo(Plan.FREE.apiClients());
        var revoked = api.graphql(token, REVOKE_CLIENT, Map.of("id", refused.lastCreated()));
        assertThat(revoked.data("revokeApiClient.errors")).as(revoked.body()).isEmpty();
        var next = api.graphql(token, CREATE_CLIENT, Map.of("name", "after revoking"));
        assertThat(next.data("createApiClient.errors")).as(next.body()).isEmpty();
    }

    @Test
    void membersPastThePlansQuotaAreRefused() throws Exception {
        var refused = createUntilRefused(INVITE, "username", "member", "inviteMember", "member");

        assertThat(refused.message()).contains(Plan.FREE.members() + " members", "remove one");
        assertThat(count("select count(*) from members where tenant_id = ?")).isEqualTo(Plan.FREE.members());
    }

    @Test
    void aProjectKeepsAsManySpecVersionsAsThePlanAllowsAndTheSameDocumentAgainStillAnswers() throws Exception {
        var project = api.graphql(token, CREATE_PROJECT, Map.of("name", "specs"))
                .data("createProject.project.id")
                .asString();
        var first = api.graphql(token, UPLOAD, Map.of("p", project, "c", DOCUMENT.formatted("1")));
        assertThat(first.data("uploadSpec.created").asBoolean())
                .as(first.body())
                .isTrue();
        // As if the project had been given as many versions as it may keep: versions are never deleted.
        try (var owner = LocalDatabase.asOwner();
                var renumber = owner.prepareStatement("update spec_versions set version = ? where id = ?")) {
            renumber.setInt(1, Plan.FREE.specVersions());
            renumber.setObject(
                    2, UUID.fromString(first.data("uploadSpec.specVersion.id").asString()));
            assertThat(renumber.executeUpdate()).isEqualTo(1);
        }

        var refused = api.graphql(token, UPLOAD, Map.of("p", project, "c", DOCUMENT.formatted("2")));

        assertThat(refused.data("uploadSpec.errors").get(0).get("code").asString())
                .as(refused.body())
                .isEqualTo("CONFLICT");
        assertThat(refused.data("uploadSpec.errors").get(0).get("message").asString())
                .contains(Plan.FREE.specVersions() + " spec versions", "new project");
        var again = api.graphql(token, UPLOAD, Map.of("p", project, "c", DOCUMENT.formatted("1")));
        assertThat(again.data("uploadSpec.errors")).as(again.body()).isEmpty();
        assertThat(again.data("uploadSpec.created").asBoolean()).isFalse();
        assertThat(count("select count(*) from spec_versions where tenant_id = ?"))
                .isEqualTo(1);
    }

    /** The first refusal of {@code mutation}, sent with new names until one is refused. */
    private Refusal createUntilRefused(String mutation, String variable, String prefix, String field, String node) {
        String lastCreated = null;
        for (int i = 0; i <= 1_000; i++) {
            var value =
                    prefix + i + (variable.equals("username") ? "@" + free.id().value() + ".test" : "");
            var response = api.graphql(token, mutation, Map.of(variable, value));
            var errors = response.data(field + ".errors");
            if (!errors.isEmpty()) {
                assertThat(errors.get(0).get("code").asString())
                        .as(response.body())
                        .isEqualTo("CONFLICT");
                return new Refusal(errors.get(0).get("message").asString(), lastCreated);
            }
            lastCreated = response.data(field + "." + node + ".id").asString();
        }
        throw new AssertionError("1,000 " + field + " and no refusal");
    }

    private long count(String sql) throws Exception {
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(sql)) {
            statement.setString(1, free.id().value());
            var rows = statement.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private record Refusal(String message, String lastCreated) {}
}
