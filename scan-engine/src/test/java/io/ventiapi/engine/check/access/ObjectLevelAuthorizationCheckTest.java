package io.ventiapi.engine.check.access;

import static io.ventiapi.engine.check.JsonAnswers.ok;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a listing shows an object in full, and when its envelope only seems to. */
class ObjectLevelAuthorizationCheckTest {

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
