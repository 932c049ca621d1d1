package io.ventiapi.platform.outbound;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.outbound.*}: which addresses tenant-supplied URLs (issuers, spec URLs, later
 * webhooks) may reach, and which registries tenants' custom scanner images may come from.
 *
 * @param allowLoopback allow 127.0.0.0/8 and ::1 (the local dev run allows it)
 * @param allowPrivate allow private, link-local, CGNAT and unique-local ranges; cloud metadata
 *     addresses stay refused unless this is set too
 * @param imageRegistries the registries ({@code host[:port]}, {@code docker.io} for Docker Hub)
 *     custom scanner images may come from; empty, any registry named by a public name or address
 */
@ConfigurationProperties("venti.outbound")
public record OutboundProperties(
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue("false") boolean allowPrivate,
        List<String> imageRegistries) {

    @ConstructorBinding
    public OutboundProperties {
        imageRegistries = imageRegistries == null ? List.of() : List.copyOf(imageRegistries);
    }

    public OutboundProperties(boolean allowLoopback, boolean allowPrivate) {
        this(allowLoopback, allowPrivate, List.of());
    }
}
