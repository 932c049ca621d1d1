package io.ventiapi.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.VentiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** Row-level security on the local PostgreSQL. */
@VentiIntegrationTest
class RowLevelSecurityIT extends RowLevelSecurityChecks {

    @Test
    void theseTestsRunOnTheLocalPostgresqlNotAnEmbeddedOne(@Autowired Environment environment) {
        assertThat(environment.containsProperty("venti.dev-services.active")).isFalse();
        assertThat(jdbc.sql("select current_database()").query(String.class).single())
                .isEqualTo(LocalDatabase.url().substring(LocalDatabase.url().lastIndexOf('/') + 1));
    }
}
