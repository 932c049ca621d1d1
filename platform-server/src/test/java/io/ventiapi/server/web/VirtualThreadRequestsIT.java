package io.ventiapi.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** Requests run on virtual threads by default, and a tenant's request still sees its own tenant there. */
@VentiIntegrationTest
class VirtualThreadRequestsIT {

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    TestTenants tenants;

    @Test
    void tomcatServesRequestsOnVirtualThreads() {
        var tomcat = (TomcatWebServer) context.getWebServer();

        assertThat(tomcat.getTomcat().getConnector().getProtocolHandler().getExecutor())
                .isInstanceOf(VirtualThreadExecutor.class);

        var api = new Api(port);
        var tenant = tenants.create("virtual-threads");
        var response = api.graphql(api.token(tenant.clientId(), tenant.clientSecret()), "{ viewer { tenant { id } } }");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/data/viewer/tenant/id").asString())
                .isEqualTo(tenant.id().value());
        assertThat(response.json().has("errors")).isFalse();
    }
}
