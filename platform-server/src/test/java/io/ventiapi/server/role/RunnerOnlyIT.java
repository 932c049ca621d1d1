package io.ventiapi.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.VentiApplication;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalServicesInitializer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/** A process with only the runner role has no API, no authorization server and no database. */
@SpringBootTest(
        classes = VentiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"venti.roles=runner", LocalServicesInitializer.NO_DEV_SERVICES})
@ContextConfiguration(initializers = LocalServicesInitializer.class)
class RunnerOnlyIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void onlyProbesAndMetricsAreServed() {
        var api = new Api(port);

        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(api.graphql(null, "{ viewer { name } }").status()).isIn(403, 404);
        assertThat(api.post("/oauth2/token", null, "").status()).isIn(403, 404);
        assertThat(api.get("/actuator/health/readiness").body()).contains("UP");
        assertThat(api.get("/actuator/prometheus").status()).isEqualTo(200);
    }
}
