package io.ventiapi.engine.check;

import static io.ventiapi.engine.check.JsonAnswers.ok;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What counts as a refusal in a 2xx body, and what is the resource's own state. */
class ResponseSimilarityTest {

    @Test
    void countersOfTheResourceAreNoRefusal() {
        var reference = ok("{\"succeeded\":120,\"failed\":3,\"pending\":7}");
        var probe = ok("{\"succeeded\":122,\"failed\":3,\"pending\":5}");
        assertThat(ResponseSimilarity.refusedAgainst(reference, probe)).isFalse();
        assertThat(ResponseSimilarity.sameKind(reference, probe)).isTrue();

        var online = ok("{\"ok\":true,\"users\":42,\"status\":null}");
        var later = ok("{\"ok\":false,\"users\":43,\"status\":1}");
        assertThat(ResponseSimilarity.refusedAgainst(online, later))
                .as("ok=false is a failure by itself")
                .isTrue();
        var other = ok("{\"ok\":true,\"users\":43,\"status\":1}");
        assertThat(ResponseSimilarity.sameKind(online, other))
                .as("another number in a status field")
                .isTrue();
    }

    @Test
    void envelopeRefusalIsStillRefused() {
        var reference = ok("{\"code\":0,\"message\":\"ok\",\"data\":{\"id\":7,\"total\":1200}}");
        var refused = ok("{\"code\":401,\"message\":\"unauthorized\",\"data\":null}");
        assertThat(ResponseSimilarity.refusedAgainst(reference, refused)).isTrue();
        assertThat(ResponseSimilarity.sameKind(reference, refused)).isFalse();
        assertThat(ResponseSimilarity.saysRefused(refused)).isTrue();

        var quiet = ok("{\"code\":10001,\"message\":\"no permission\",\"data\":null}");
        assertThat(ResponseSimilarity.sameKind(reference, quiet))
                .as("the reference's payload is gone")
                .isFalse();
        assertThat(ResponseSimilarity.saysRefused(ok("{\"success\":false,\"error\":\"nope\",\"errors\":[\"x\"]}")))
                .isTrue();
    }

    @Test
    void aResourceInAFailedStateIsNoRefusal() {
        assertThat(ResponseSimilarity.saysRefused(
                        ok("{\"id\":\"pay_1\",\"status\":\"failed\",\"amount\":1200,\"lines\":[{\"sku\":\"a\"}]}")))
                .as("a failed payment")
                .isFalse();
        assertThat(ResponseSimilarity.saysRefused(ok("{\"id\":\"job_1\",\"status\":\"failed\",\"attempts\":3}")))
                .as("a failed job")
                .isFalse();
        assertThat(ResponseSimilarity.saysRefused(
                        ok("{\"code\":503,\"service\":\"db\",\"checks\":[{\"name\":\"db\",\"up\":false}]}")))
                .as("a monitor reporting an outage")
                .isFalse();
        var payment = ok("{\"id\":\"pay_1\",\"status\":\"succeeded\",\"amount\":1200}");
        var failedPayment = ok("{\"id\":\"pay_2\",\"status\":\"failed\",\"amount\":1300}");
        assertThat(ResponseSimilarity.sameKind(payment, failedPayment)).isTrue();
    }

    @Test
    void theCallersOwnValuesUnderTheAdministratorsKeysAreOtherContent() {
        var admin = ok("{\"id\":1,\"name\":\"admin\",\"role\":\"admin\"}");
        var alice = ok("{\"id\":7,\"name\":\"alice\",\"role\":\"user\"}");
        assertThat(ResponseSimilarity.sameKind(admin, alice)).as("same keys").isTrue();
        assertThat(ResponseSimilarity.sameContent(admin, admin, alice)).isFalse();
    }

    @Test
    void theAdministratorsAnswerIsTheSameContentDespiteValuesThatChangeOnEveryRequest() {
        var before =
                ok("{\"at\":\"10:00:01\",\"users\":[{\"id\":1,\"name\":\"admin\"},{\"id\":7,\"name\":\"alice\"}]}");
        var after = ok("{\"at\":\"10:00:03\",\"users\":[{\"id\":1,\"name\":\"admin\"},{\"id\":7,\"name\":\"alice\"},"
                + "{\"id\":8,\"name\":\"new\"}]}");
        var probe = ok("{\"at\":\"10:00:02\",\"users\":[{\"id\":1,\"name\":\"admin\"},{\"id\":7,\"name\":\"alice\"}]}");
        assertThat(ResponseSimilarity.sameContent(before, after, probe))
                .as("a time and a user added meanwhile")
                .isTrue();
        var more = ok("{\"at\":\"10:00:02\",\"users\":[{\"id\":1,\"name\":\"admin\"},{\"id\":7,\"name\":\"alice\"},"
                + "{\"id\":9,\"name\":\"x\"},{\"id\":10,\"name\":\"y\"}]}");
        assertThat(ResponseSimilarity.sameContent(before, after, more))
                .as("items neither administrator answer had")
                .isFalse();
    }
}
