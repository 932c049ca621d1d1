package io.ventiapi.platform.outbound;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.outbound.*}: which addresses tenant-supplied URLs (issuers, spec URLs, later
 * webhooks) may reach.
 *
 * @param allowLoopback allow 127.0.0.0/8 and ::1 (the local dev run allows it)
 * @param allowPrivate allow private, link-local, CGNAT and unique-local ranges; cloud metadata
 *     addresses stay refused unless this is set too
 */
@ConfigurationProperties("venti.outbound")
public record OutboundProperties(
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue("false") boolean allowPrivate) {}
