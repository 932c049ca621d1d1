package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code venti.graphql.max-concurrent-queries} holds for every query operation, whether or not the
 * server has seen its document before: with one place, taken, and no wait allowed, any other query
 * is answered busy, while mutations are not limited.
 */
@VentiIntegrationTest
@TestPropertySource(properties = {"venti.graphql.max-concurrent-queries=1", "venti.graphql.max-query-wait=0s"})
class QueryAdmissionIT {

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Test
    void whileTheOnlyPlaceIsTakenEveryOtherQueryIsBusyAndMutationsStillRun() throws Exception {
        var api = new Api(port);
        var acme = tenants.create("admission");
        var token = api.token(acme.clientId(), acme.clientSecret());
        var tooLargeToKeep = "{ viewer { name } }\n#" + "x".repeat(16 * 1024);
        var neverSeen = "{ viewer { kind } }";
        var mutation = "mutation { revokeApiClient(input: {id: \"00000000-0000-0000-0000-000000000000\"})"
                + " { errors { code } } }";
        // Sent once, so the holder's own document is known before it holds the place.
        assertThat(api.graphql(token, "{ holdPlace }").status()).isEqualTo(200);

        var hold = PlaceHoldingController.arm();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var holder = threads.submit(() -> api.graphql(token, "{ holdPlace }"));
            try {
                hold.awaitEntered();

                for (var query : new String[] {tooLargeToKeep, neverSeen}) {
                    var busy = api.graphql(token, query);
                    assertThat(busy.status()).as(busy.body()).isEqualTo(503);
                    assertThat(busy.firstErrorCode()).isEqualTo("BUSY");
                }
                var revoked = api.graphql(token, mutation);
                assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
                assertThat(revoked.data("revokeApiClient.errors")
                                .get(0)
                                .get("code")
                                .asString())
                        .isEqualTo("NOT_FOUND");
            } finally {
                hold.release();
            }
            assertThat(holder.get().data("holdPlace").asBoolean()).isTrue();
        }

        // The place given back, the same queries run.
        for (var query : new String[] {tooLargeToKeep, neverSeen}) {
            var answered = api.graphql(token, query);
            assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        }
    }
}
