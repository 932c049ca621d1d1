package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * When the database fails a request before or outside GraphQL execution (a transaction that
 * cannot begin, the tenant edge's look-up refused), the client still gets a GraphQL response:
 * {@code errors} with a code and the trace id to quote, never Spring's generic error page. A
 * transaction that cannot begin is the database away for a moment: {@code BUSY}, 503.
 */
@VentiIntegrationTest
class DatabaseUnavailableIT {

    private static final String PROJECTS = "{ projects(first: 5) { edges { node { id } } } }";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    Api api;
    String token;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        var acme = tenants.create("db-away");
        token = api.token(acme.clientId(), acme.clientSecret());
    }

    @Test
    void aQueryWhoseTransactionCannotBeginIsAnsweredBusyWithATraceId() throws Exception {
        // Known to the server, so it runs in the one read-only transaction that cannot begin below.
        assertThat(api.graphql(token, PROJECTS).status()).isEqualTo(200);
        var neverSeen = "{ projects(first: 6) { edges { node { id name } } } }";

        Api.Response busy;
        Api.Response busyField;
        // Binding the tenant to a transaction fails, as when its connection died on the way.
        admin("revoke execute on function pg_catalog.set_config(text, text, boolean) from public");
        try {
            busy = api.graphql(token, PROJECTS);
            busyField = api.graphql(token, neverSeen);
        } finally {
            admin("grant execute on function pg_catalog.set_config(text, text, boolean) to public");
        }

        assertThat(busy.status()).as(busy.body()).isEqualTo(503);
        assertThat(busy.firstErrorCode()).isEqualTo("BUSY");
        assertTraceId(busy);
        // Not yet known to be a query, it ran without that transaction: its field's own one failed.
        assertThat(busyField.firstErrorCode()).as(busyField.body()).isEqualTo("BUSY");
        assertTraceId(busyField);
        assertThat(api.graphql(token, PROJECTS).status()).isEqualTo(200);
    }

    @Test
    void theTenantEdgeAnswersAGraphQlErrorWhenItCannotCheckTheCaller() throws Exception {
        Api.Response failed;
        admin("revoke execute on function venti_api_client_login(text) from " + LocalDatabase.APP);
        try {
            failed = api.graphql(token, "{ viewer { name } }");
        } finally {
            admin("grant execute on function venti_api_client_login(text) to " + LocalDatabase.APP);
        }

        assertThat(failed.status()).as(failed.body()).isEqualTo(500);
        assertThat(failed.firstErrorCode()).isEqualTo("INTERNAL_ERROR");
        assertTraceId(failed);
        assertThat(failed.body()).doesNotContain("permission", "venti_api_client_login", "SQL");
        assertThat(api.graphql(token, "{ viewer { name } }").status()).isEqualTo(200);
    }

    private static void assertTraceId(Api.Response response) {
        var error = response.json().path("errors").path(0);
        var traceId = error.path("extensions").path("traceId").asString();
        assertThat(traceId).as(response.body()).matches("[0-9a-f]{32}");
        assertThat(error.path("message").asString()).contains(traceId);
        assertThat(response.body())
                .doesNotContain("timestamp", "\tat ", "CannotCreateTransaction", "set_config", "permission denied");
    }

    private static void admin(String sql) throws SQLException {
        try (var admin = LocalDatabase.asAdmin();
                var statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
