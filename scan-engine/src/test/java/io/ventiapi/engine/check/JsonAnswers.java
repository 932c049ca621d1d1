package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Answers a target might give, for tests of how checks read them. */
public final class JsonAnswers {

    private JsonAnswers() {}

    /** A 200 with this JSON body. */
    public static ProbeResponse ok(String json) {
        return new ProbeResponse(
                null,
                200,
                Map.of("content-type", List.of("application/json")),
                json.getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(5));
    }
}
