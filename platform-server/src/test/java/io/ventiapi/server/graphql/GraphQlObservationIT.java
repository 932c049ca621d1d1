package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * GraphQL requests and their top-level fields reach the metrics, with the observation
 * instrumentation installed on its own rather than in Spring GraphQL's chain (ADR 8).
 */
@VentiIntegrationTest
class GraphQlObservationIT {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Test
    void aQueryIsObservedAsARequestAndByItsTopLevelField() {
        var api = new Api(port);
        var tenant = tenants.create("observed");
        var token = api.token(tenant.clientId(), tenant.clientSecret());

        assertThat(api.graphql(token, "{ viewer { name } }").status()).isEqualTo(200);

        var metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("graphql_request_seconds_count\\{[^}]*outcome=\"SUCCESS\"");
        assertThat(metrics).containsPattern("graphql_datafetcher_seconds_count\\{[^}]*field_name=\"viewer\"");
    }
}
