package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.http.ProbeResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a listing shows an object in full, and when its envelope only seems to. */
class ObjectLevelAuthorizationCheckTest {

    private static ProbeResponse ok(String json) {
        return new ProbeResponse(
                null,
                200,
                Map.of("content-type", List.of("application/json")),
                json.getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(5));
    }

    @Test
    void anEnvelopesCountersAreNoListedObject() {
        var listing =
                ok("{\"success\":true,\"data\":[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"}],\"total\":3}");
        var item = ok("{\"success\":true,\"data\":{\"id\":3,\"title\":\"c\",\"card\":\"4111\"}}");
        assertThat(ObjectLevelAuthorizationCheck.listingShows(listing, "3", item))
                .as("\"total\":3 of the envelope names no object 3")
                .isFalse();
    }

    @Test
    void anObjectListedInFullInsideAnEnvelopeIsShown() {
        var listing =
                ok("{\"success\":true,\"data\":[{\"id\":3,\"title\":\"c\"},{\"id\":4,\"title\":\"d\"}],\"total\":2}");
        assertThat(ObjectLevelAuthorizationCheck.listingShows(
                        listing, "3", ok("{\"success\":true,\"data\":{\"id\":3,\"title\":\"c\"}}")))
                .isTrue();
        assertThat(ObjectLevelAuthorizationCheck.listingShows(listing, "3", ok("{\"id\":3,\"title\":\"c\"}")))
                .isTrue();
        assertThat(ObjectLevelAuthorizationCheck.listingShows(
                        listing, "3", ok("{\"id\":3,\"title\":\"c\",\"address\":\"1 Main St\"}")))
                .as("the item adds an address the listing does not show")
                .isFalse();
    }
}
