package io.ventiapi.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Every change leaves an event naming who, what, when and from where; tampering shows. */
@VentiIntegrationTest
class AuditLogIT {

    private static final String EVENTS = """
            query($after: String) { auditEvents(first: 2, after: $after) {
              edges { cursor node { seq actor actorType action targetType targetId sourceIp userAgent summary hash } }
              pageInfo { hasNextPage endCursor } } }""";
    private static final String CHAIN =
            "{ auditChainStatus { intact checkedEvents reason firstBrokenEvent { seq action } } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    Api api;
    TestTenants.Fixture acme;
    String admin;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("audit");
        admin = api.token(acme.clientId(), acme.clientSecret());
    }

    @Test
    void mutationsAreRecordedWithActorSourceAndARedactedSummary() {
        var created = api.graphql(
                admin,
                "mutation { createApiClient(input: {name: \"deployer\", scopes: [\"scans:write\"]}) {"
                        + " apiClient { id } clientSecret } }");
        var secret = created.data("createApiClient.clientSecret").asString();
        var invited = api.graphql(
                admin,
                "mutation { inviteMember(input: {username: \"new@" + acme.id() + ".test\", role: VIEWER}) {"
                        + " initialPassword } }");
        var password = invited.data("inviteMember.initialPassword").asString();

        var events = allEvents(admin);

        var create = events.stream()
                .filter(e -> e.get("action").asString().equals("apiClient.create")
                        && e.get("summary").asString().contains("deployer"))
                .findFirst()
                .orElseThrow();
        assertThat(create.get("actor").asString()).isEqualTo(acme.clientId());
        assertThat(create.get("actorType").asString()).isEqualTo("API_CLIENT");
        assertThat(create.get("targetId").asString())
                .isEqualTo(created.data("createApiClient.apiClient.id").asString());
        assertThat(create.get("sourceIp").asString()).isEqualTo("127.0.0.1");
        assertThat(create.get("userAgent").asString()).isNotBlank();
        assertThat(events).anyMatch(e -> e.get("action").asString().equals("member.invite"));
        assertThat(events.toString()).doesNotContain(secret, password, acme.clientSecret());
    }

    @Test
    void concurrentChangesInOneTenantExtendTheChainOneAfterTheOther() throws Exception {
        long before =
                api.graphql(admin, CHAIN).data("auditChainStatus.checkedEvents").asLong();
        int changes = 16;
        var tasks = new ArrayList<Callable<Api.Response>>();
        for (int i = 0; i < changes; i++) {
            var name = "parallel-" + i;
            tasks.add(() -> api.graphql(
                    admin,
                    "mutation { createApiClient(input: {name: \"" + name + "\", scopes: [\"scans:read\"]}) {"
                            + " apiClient { id } errors { code } } }"));
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (var done : pool.invokeAll(tasks)) {
                var response = done.get();
                assertThat(response.data("createApiClient.apiClient"))
                        .as(response.body())
                        .isNotNull();
            }
        }

        var status = api.graphql(admin, CHAIN).data("auditChainStatus");
        assertThat(status.get("intact").asBoolean()).isTrue();
        assertThat(status.get("checkedEvents").asLong()).isEqualTo(before + changes);
    }

    @Test
    void theChainIsIntactUntilSomeoneEditsOrDeletesARowBehindTheApplicationsBack() throws Exception {
        api.graphql(
                admin,
                "mutation { createApiClient(input: {name: \"one\", scopes: [\"scans:read\"]}) { errors { code } } }");
        var intact = api.graphql(admin, CHAIN).data("auditChainStatus");
        assertThat(intact.get("intact").asBoolean()).isTrue();
        long events = intact.get("checkedEvents").asLong();
        assertThat(events).isGreaterThanOrEqualTo(4);

        try (var owner = LocalDatabase.asOwner();
                var edit = owner.prepareStatement(
                        "update audit_events set summary = '{\"name\":\"innocent\"}' where tenant_id = ? and seq = 2")) {
            edit.setString(1, acme.id().value());
            assertThat(edit.executeUpdate()).isEqualTo(1);
        }
        var edited = api.graphql(admin, CHAIN).data("auditChainStatus");
        assertThat(edited.get("intact").asBoolean()).isFalse();
        assertThat(edited.get("firstBrokenEvent").get("seq").asInt()).isEqualTo(2);
        assertThat(edited.get("checkedEvents").asLong()).isEqualTo(1);

        var other = tenants.create("audit-del");
        try (var owner = LocalDatabase.asOwner();
                var delete = owner.prepareStatement("delete from audit_events where tenant_id = ? and seq = 2")) {
            delete.setString(1, other.id().value());
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        var otherAdmin = api.token(other.clientId(), other.clientSecret());
        var deleted = api.graphql(otherAdmin, CHAIN).data("auditChainStatus");
        assertThat(deleted.get("intact").asBoolean()).isFalse();
        assertThat(deleted.get("firstBrokenEvent").get("seq").asInt()).isEqualTo(3);
        assertThat(deleted.get("reason").asString()).contains("missing");
    }

    @Test
    void eachTenantSeesOnlyItsOwnEventsAndOnlyWithAuditRead() {
        var other = tenants.create("audit-other");
        var otherAdmin = api.token(other.clientId(), other.clientSecret());

        assertThat(allEvents(otherAdmin).toString())
                .doesNotContain(acme.clientId(), acme.id().value());

        var reader = api.graphql(
                        admin,
                        "mutation { createApiClient(input: {name: \"ro\", scopes: [\"projects:read\"]}) {"
                                + " apiClient { clientId } clientSecret } }")
                .data("createApiClient");
        var readOnly = api.token(
                reader.get("apiClient").get("clientId").asString(),
                reader.get("clientSecret").asString());
        var refused = api.graphql(readOnly, EVENTS, Map.of());
        assertThat(refused.body()).contains("FORBIDDEN").doesNotContain("apiClient.create");
    }

    @Test
    void behindAProxyTheCallersAddressIsRecorded() {
        var body = Api.JSON.writeValueAsString(
                Map.of(
                        "query",
                        "mutation { createApiClient(input: {name: \"proxied\", scopes: [\"scans:read\"]}) { apiClient { id } } }"));
        // The test's connection comes from 127.0.0.1, as an ingress's would from the pod network.
        var created = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + admin)
                .header("X-Forwarded-For", "203.0.113.7")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        var id = created.data("createApiClient.apiClient.id").asString();

        var event = allEvents(admin).stream()
                .filter(e -> e.get("action").asString().equals("apiClient.create")
                        && e.get("targetId").asString().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(event.get("sourceIp").asString()).isEqualTo("203.0.113.7");
    }

    @Test
    void aCursorOfAnotherListIsRefusedNotReadAsTheFirstPage() {
        var membersCursor = api.graphql(admin, "{ members(first: 1) { pageInfo { endCursor } } }")
                .data("members.pageInfo.endCursor")
                .asString();

        var response = api.graphql(admin, EVENTS, Map.of("after", membersCursor));

        assertThat(response.json()
                        .get("errors")
                        .get(0)
                        .get("extensions")
                        .get("code")
                        .asString())
                .as(response.body())
                .isEqualTo("INVALID_INPUT");
        assertThat(response.body()).contains("not a cursor of this list");
    }

    private List<JsonNode> allEvents(String token) {
        var events = new ArrayList<JsonNode>();
        String after = null;
        long previousSeq = Long.MAX_VALUE;
        do {
            var page = api.graphql(token, EVENTS, after == null ? Map.of() : Map.of("after", after))
                    .data("auditEvents");
            for (var edge : page.get("edges")) {
                var seq = edge.get("node").get("seq").asLong();
                assertThat(seq).as("newest first, no repeats").isLessThan(previousSeq);
                previousSeq = seq;
                events.add(edge.get("node"));
            }
            after = page.get("pageInfo").get("hasNextPage").asBoolean()
                    ? page.get("pageInfo").get("endCursor").asString()
                    : null;
        } while (after != null);
        return events;
    }
}
