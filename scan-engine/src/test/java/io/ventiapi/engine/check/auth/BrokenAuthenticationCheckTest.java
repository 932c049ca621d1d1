package io.ventiapi.engine.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Which user-supplied token counts as expired for the expired-JWT probe. */
class BrokenAuthenticationCheckTest {

    @Test
    void aTokenWithinTheLeewayFrameworksGrantIsNotExpiredYet() {
        assertThat(expired("{\"sub\":\"alice\",\"exp\":" + secondsAgo(120) + "}"))
                .as("2 minutes past exp: .NET accepts it for 5 minutes, by default")
                .isFalse();
        assertThat(expired("{\"sub\":\"alice\",\"exp\":" + secondsAgo(-600) + "}"))
                .as("not expired at all")
                .isFalse();
        assertThat(expired("{\"sub\":\"alice\"}")).as("no exp").isFalse();
    }

    @Test
    void aTokenPastAnyDefaultLeewayIsExpired() {
        assertThat(expired("{\"sub\":\"alice\",\"exp\":" + secondsAgo(3600) + "}"))
                .as("an hour past exp")
                .isTrue();
        assertThat(expired("{\"sub\":\"alice\",\"exp\":" + secondsAgo(330) + "}"))
                .as("5 minutes 30 past exp")
                .isTrue();
    }

    private static boolean expired(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
        return BrokenAuthenticationCheck.Jwt.parse(token)
                .map(BrokenAuthenticationCheck.Jwt::isExpired)
                .orElseThrow();
    }

    private static long secondsAgo(long seconds) {
        return Instant.now().getEpochSecond() - seconds;
    }
}
