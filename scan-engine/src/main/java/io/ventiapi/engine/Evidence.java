package io.ventiapi.engine;

import java.util.List;

/**
 * What the engine sent and saw that proves a finding. Excerpts are truncated and have credentials redacted
 * (Authorization, cookies, API keys, tokens), so evidence can be stored and shown to anyone who may see the
 * finding.
 *
 * @param exchanges the request/response pairs that prove the finding, the decisive one first
 * @param explanation one or two sentences saying why these exchanges prove the flaw
 */
public record Evidence(List<Exchange> exchanges, String explanation) {

    public Evidence {
        exchanges = List.copyOf(exchanges);
    }

    /**
     * One request and the response it got, as text excerpts.
     *
     * @param request the request line, headers and the start of the body
     * @param response the status line, headers and the start of the body; empty if no response came
     * @param elapsedMillis how long the response took, relevant for time-based findings
     */
    public record Exchange(String request, String response, long elapsedMillis) {}
}
