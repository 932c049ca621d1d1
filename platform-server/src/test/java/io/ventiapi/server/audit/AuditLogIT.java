package io.ventiapi.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.security.SystemActor;
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
import org.springframework.transaction.support.TransactionTemplate;
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

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate tx;

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
    void anAnchorRecordedEarlierShowsTheNewestEventsDeletedOrTheChainRecomputed() throws Exception {
        var anchored = "query($a: AuditAnchor) { auditChainStatus(anchor: $a) { intact checkedEvents reason"
                + " head { seq hash } firstBrokenEvent { seq } } }";
        api.graphql(
                admin,
                "mutation { createApiClient(input: {name: \"anchored\", scopes: [\"scans:read\"]}) { errors { code } } }");
        var head = api.graphql(admin, anchored, Map.of()).data("auditChainStatus.head");
        var anchor =
                Map.of("seq", head.get("seq").asInt(), "hash", head.get("hash").asString());
        assertThat(api.graphql(admin, anchored, Map.of("a", anchor))
                        .data("auditChainStatus.intact")
                        .asBoolean())
                .isTrue();

        try (var owner = LocalDatabase.asOwner();
                var delete = owner.prepareStatement("delete from audit_events where tenant_id = ? and seq = ?")) {
            delete.setString(1, acme.id().value());
            delete.setInt(2, head.get("seq").asInt());
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        var truncated = api.graphql(admin, anchored, Map.of()).data("auditChainStatus");
        assertThat(truncated.get("intact").asBoolean())
                .as("without the anchor nothing shows")
                .isTrue();
        var caught = api.graphql(admin, anchored, Map.of("a", anchor)).data("auditChainStatus");
        assertThat(caught.get("intact").asBoolean()).isFalse();
        assertThat(caught.get("reason").asString()).contains("newer events were deleted");

        // The owner puts an event back at that position, chained properly but not the same one.
        try (var owner = LocalDatabase.asOwner();
                var forge = owner.prepareStatement("""
                        insert into audit_events (id, tenant_id, seq, occurred_at, actor, actor_type, action,
                                                  target_type, summary, prev_hash, hash)
                        select gen_random_uuid(), tenant_id, seq + 1, now(), 'system', 'SYSTEM', 'nothing.happened',
                               'Nothing', '{}', hash, repeat('0', 64)
                        from audit_events where tenant_id = ? order by seq desc limit 1""")) {
            forge.setString(1, acme.id().value());
            assertThat(forge.executeUpdate()).isEqualTo(1);
        }
        var recomputed = recomputeChain(acme.id().value());
        assertThat(api.graphql(admin, anchored, Map.of())
                        .data("auditChainStatus.intact")
                        .asBoolean())
                .as("a chain recomputed by the owner verifies on its own")
                .isTrue();
        var rewritten = api.graphql(admin, anchored, Map.of("a", anchor)).data("auditChainStatus");
        assertThat(rewritten.get("intact").asBoolean()).isFalse();
        assertThat(rewritten.get("firstBrokenEvent").get("seq").asInt())
                .isEqualTo(head.get("seq").asInt());
        assertThat(rewritten.get("reason").asString()).contains("not the one you recorded");
        assertThat(recomputed).isPositive();

        var refused = api.graphql(admin, anchored, Map.of("a", Map.of("seq", 0, "hash", "abc")));
        assertThat(refused.firstErrorCode()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void fieldsFromOutsideCannotCarryTheChainsSeparator() throws Exception {
        // A target id as a caller could pass it: control characters, the separator among them.
        SystemActor.run(
                acme.id(),
                () -> tx.executeWithoutResult(
                        status -> audit.record("test.record", "Test", "a\u001fb\u0000c", Map.of())));

        try (var owner = LocalDatabase.asOwner();
                var select = owner.prepareStatement(
                        "select target_id from audit_events where tenant_id = ? and action = 'test.record'")) {
            select.setString(1, acme.id().value());
            try (var rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("a\uFFFDb\uFFFDc");
            }
        }
        assertThat(api.graphql(admin, CHAIN).data("auditChainStatus.intact").asBoolean())
                .isTrue();
    }

    @Test
    void anEmptyFieldFilledWithTheTextNullIsReported() throws Exception {
        // The text 'null' hashes as an empty field does: swapped in, it would verify unchanged.
        var named = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + admin)
                .header("User-Agent", "null")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"query\": \"mutation { createApiClient(input: {name: \\\"ua\\\", scopes: [\\\"scans:read\\\"]})"
                                + " { errors { code } } }\"}")));
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        try (var owner = LocalDatabase.asOwner();
                var select = owner.prepareStatement(
                        "select user_agent from audit_events where tenant_id = ? and action = 'apiClient.create'"
                                + " and summary like '%\"name\":\"ua\"%'")) {
            select.setString(1, acme.id().value());
            try (var rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("(null)");
            }
        }
        assertThat(api.graphql(admin, CHAIN).data("auditChainStatus.intact").asBoolean())
                .as("written as (null), the text 'null' from a caller breaks nothing")
                .isTrue();

        try (var owner = LocalDatabase.asOwner();
                var edit = owner.prepareStatement("update audit_events set source_ip = 'null'"
                        + " where tenant_id = ? and seq = 1 and source_ip is null")) {
            edit.setString(1, acme.id().value());
            assertThat(edit.executeUpdate())
                    .as("the first event, written without a request")
                    .isEqualTo(1);
        }

        var status = api.graphql(admin, CHAIN).data("auditChainStatus");
        assertThat(status.get("intact").asBoolean()).isFalse();
        assertThat(status.get("firstBrokenEvent").get("seq").asInt()).isEqualTo(1);
        assertThat(status.get("reason").asString()).contains("'null'");
    }

    @Test
    void eventsWrittenBeforeTheNullRuleMayHoldTheTextNull() throws Exception {
        // As an older platform wrote a request whose user agent was "null".
        try (var owner = LocalDatabase.asOwner();
                var edit = owner.prepareStatement("update audit_events set user_agent = 'null',"
                        + " occurred_at = timestamptz '2026-12-01 00:00:00Z' where tenant_id = ? and seq = 1")) {
            edit.setString(1, acme.id().value());
            assertThat(edit.executeUpdate()).isEqualTo(1);
        }
        recomputeChain(acme.id().value());
        assertThat(api.graphql(admin, CHAIN).data("auditChainStatus.intact").asBoolean())
                .isTrue();

        try (var owner = LocalDatabase.asOwner();
                var edit = owner.prepareStatement(
                        "update audit_events set occurred_at = now() where tenant_id = ? and seq = 1")) {
            edit.setString(1, acme.id().value());
            edit.executeUpdate();
        }
        recomputeChain(acme.id().value());
        assertThat(api.graphql(admin, CHAIN).data("auditChainStatus.reason").asString())
                .as("written since, it holds what no event does")
                .contains("'null'");
    }

    @Test
    void anEventNumberedBelowOneCannotBeWrittenAndIsReportedIfItIs() throws Exception {
        var insert = """
                insert into audit_events (id, tenant_id, seq, occurred_at, actor, actor_type, action, target_type,
                    summary, prev_hash, hash)
                values (gen_random_uuid(), ?, 0, now(), 'someone', 'USER', 'member.remove', 'Member', '{}', 'x', 'y')""";
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(insert)) {
            statement.setString(1, acme.id().value());
            assertThatThrownBy(statement::executeUpdate).hasMessageContaining("audit_events_seq_positive");
        }
        var head =
                api.graphql(admin, "{ auditChainStatus { head { seq hash } } }").data("auditChainStatus.head");
        try (var owner = LocalDatabase.asOwner()) {
            // An owner can drop the check: the verifier does not count on it.
            owner.setAutoCommit(false);
            try (var drop = owner.createStatement();
                    var statement = owner.prepareStatement(insert)) {
                drop.execute("alter table audit_events drop constraint audit_events_seq_positive");
                statement.setString(1, acme.id().value());
                statement.executeUpdate();
                owner.commit();
            }
            try {
                var status = api.graphql(
                                admin,
                                "query($a: AuditAnchor) { auditChainStatus(anchor: $a) { intact reason firstBrokenEvent { seq } } }",
                                Map.of(
                                        "a",
                                        Map.of(
                                                "seq",
                                                head.get("seq").asLong(),
                                                "hash",
                                                head.get("hash").asString())))
                        .data("auditChainStatus");
                assertThat(status.get("intact").asBoolean()).isFalse();
                assertThat(status.get("firstBrokenEvent").get("seq").asInt()).isZero();
                assertThat(status.get("reason").asString()).contains("below 1");
            } finally {
                try (var restore = owner.createStatement()) {
                    restore.execute("delete from audit_events where seq < 1");
                    restore.execute(
                            "alter table audit_events add constraint audit_events_seq_positive check (seq >= 1)");
                    owner.commit();
                }
            }
        }
    }

    @Test
    void oneWalkOfATenantsChainAtATime() throws Exception {
        try (var owner = LocalDatabase.asOwner()) {
            owner.setAutoCommit(false);
            try (var lock = owner.prepareStatement("select pg_advisory_xact_lock(hashtext('audit-verify:' || ?))")) {
                lock.setString(1, acme.id().value());
                lock.execute();
            }
            var busy = api.graphql(admin, CHAIN);
            assertThat(busy.firstErrorCode()).as(busy.body()).isEqualTo("CONFLICT");
            owner.rollback();
        }
        assertThat(api.graphql(admin, CHAIN).data("auditChainStatus.intact").asBoolean())
                .isTrue();
    }

    @Test
    void anEventWhoseFieldsHoldTheSeparatorIsReportedEvenWhenRehashed() throws Exception {
        // The owner moves a separator into a field and recomputes the chain: without the rule, it
        // would verify, and a hash recorded earlier could match a row whose fields were shifted.
        try (var owner = LocalDatabase.asOwner();
                var edit = owner.prepareStatement("update audit_events set actor = actor || chr(31) || 'x'"
                        + " where tenant_id = ? and seq = 2")) {
            edit.setString(1, acme.id().value());
            assertThat(edit.executeUpdate()).isEqualTo(1);
        }
        recomputeChain(acme.id().value());

        var status = api.graphql(admin, CHAIN).data("auditChainStatus");
        assertThat(status.get("intact").asBoolean()).isFalse();
        assertThat(status.get("firstBrokenEvent").get("seq").asInt()).isEqualTo(2);
        assertThat(status.get("reason").asString()).contains("separator");
    }

    /** Recomputes the hashes of the tenant's chain as an owner with the platform's code would. */
    private static int recomputeChain(String tenant) throws Exception {
        int rewritten = 0;
        try (var owner = LocalDatabase.asOwner()) {
            var rows = new ArrayList<Object[]>();
            try (var select = owner.prepareStatement("""
                    select id, seq, occurred_at, actor, actor_type, action, target_type, target_id, source_ip,
                           user_agent, trace_id, summary from audit_events where tenant_id = ? order by seq""")) {
                select.setString(1, tenant);
                try (var result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new Object[] {
                            result.getObject(1, java.util.UUID.class),
                            result.getLong(2),
                            result.getTimestamp(3).toInstant(),
                            result.getString(4),
                            result.getString(5),
                            result.getString(6),
                            result.getString(7),
                            result.getString(8),
                            result.getString(9),
                            result.getString(10),
                            result.getString(11),
                            result.getString(12)
                        });
                    }
                }
            }
            var previous = "0".repeat(64);
            try (var update = owner.prepareStatement(
                    "update audit_events set prev_hash = ?, hash = ? where tenant_id = ? and seq = ?")) {
                for (var row : rows) {
                    var canonical = String.join(
                            "\u001f",
                            previous,
                            String.valueOf(row[1]),
                            row[0].toString(),
                            tenant,
                            row[2].toString(),
                            (String) row[3],
                            (String) row[4],
                            (String) row[5],
                            (String) row[6],
                            String.valueOf(row[7]),
                            String.valueOf(row[8]),
                            String.valueOf(row[9]),
                            String.valueOf(row[10]),
                            (String) row[11]);
                    var hash = java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    update.setString(1, previous);
                    update.setString(2, hash);
                    update.setString(3, tenant);
                    update.setLong(4, (Long) row[1]);
                    rewritten += update.executeUpdate();
                    previous = hash;
                }
            }
        }
        return rewritten;
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

        assertThat(response.firstErrorCode()).as(response.body()).isEqualTo("INVALID_INPUT");
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
