package io.ventiapi.platform.spec;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code venti.specs.*}.
 *
 * @param maxBytes largest document accepted, uploaded or fetched
 * @param fetchTimeout longest a fetch of a spec URL may take, redirects included
 * @param connectTimeout longest a connection to a spec URL's host may take
 * @param maxRedirects most redirects followed (each one checked by the outbound guard again)
 * @param parseWait longest an upload waits for its turn to be checked (half the processors
 *     check documents at once) before it is refused as {@code BUSY}
 */
@Validated
@ConfigurationProperties("venti.specs")
public record SpecProperties(
        @DefaultValue("10485760") long maxBytes,
        @DefaultValue("PT30S") Duration fetchTimeout,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("5") int maxRedirects,
        @DefaultValue("PT30S") Duration parseWait) {}
