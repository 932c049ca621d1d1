package io.ventiapi.platform.outbound;

import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.protocol.OutboundAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Decides whether the platform may connect to a URL a tenant gave it. The host is resolved and
 * every address checked by {@link OutboundAddresses}, the rule the runners apply to scans too:
 * loopback, private, link-local (cloud metadata lives there), CGNAT, unique-local and reserved
 * addresses are refused unless the operator allows them; multicast, broadcast and "this network"
 * ones always.
 */
@Component
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundUrlPolicy {

    private final OutboundProperties properties;

    public OutboundUrlPolicy(OutboundProperties properties) {
        this.properties = properties;
    }

    private static final Set<String> DOCKER_HUB = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    /**
     * Refuses a container image the platform must not have pulled on a tenant's say-so: the node
     * pulls it from its own network, with its own credentials, outside every egress rule of the
     * scan. With {@code venti.outbound.image-registries} set, only those registries; else none
     * named by an address of the platform's own networks (an IP literal or {@code localhost}; a
     * name is not resolved here, as the node resolves it: list the registries to be sure).
     *
     * @param image an image reference, its syntax checked already
     */
    public void checkImage(String image, String field) {
        int slash = image.indexOf('/');
        var first = slash < 0 ? "" : image.substring(0, slash).toLowerCase(Locale.ROOT);
        boolean named = first.contains(".") || first.contains(":") || first.equals("localhost");
        var registry = !named || DOCKER_HUB.contains(first) ? "docker.io" : first;
        if (!properties.imageRegistries().isEmpty()) {
            var allowed = properties.imageRegistries().stream()
                    .map(listed -> DOCKER_HUB.contains(listed.toLowerCase(Locale.ROOT))
                            ? "docker.io"
                            : listed.toLowerCase(Locale.ROOT))
                    .toList();
            if (!allowed.contains(registry)) {
                throw UserErrorException.invalid(
                        field,
                        "images come from " + String.join(", ", properties.imageRegistries()) + " only, not "
                                + registry);
            }
            return;
        }
        var host = registry.replaceFirst(":[0-9]+$", "");
        if (host.equals("localhost") && !properties.allowLoopback()) {
            throw UserErrorException.invalid(field, "the platform does not pull images from localhost");
        }
        if (isAddressLiteral(host)) {
            try {
                var refusal = refusal(InetAddress.getByName(host));
                if (refusal != null) {
                    throw UserErrorException.invalid(
                            field, "the platform does not pull images from " + refusal + " (" + host + ")");
                }
            } catch (UnknownHostException e) {
                throw UserErrorException.invalid(field, "the image's registry " + host + " is no address");
            }
        }
    }

    /**
     * Checks {@code url} and returns the addresses it resolved to, which the caller must connect to
     * (not resolve again: the name might answer differently the second time).
     *
     * @param field the input field named in the error
     */
    public List<InetAddress> check(URI url, String field) {
        if (url == null || !url.isAbsolute() || url.getHost() == null) {
            throw UserErrorException.invalid(field, "an absolute http(s) URL is required");
        }
        var scheme = url.getScheme().toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw UserErrorException.invalid(field, "only http and https URLs are allowed");
        }
        if (url.getUserInfo() != null) {
            throw UserErrorException.invalid(field, "URLs with credentials are not allowed");
        }
        // For a name, the answer says neither whether it resolves nor to what kind of address: a
        // tenant may name any host, and the platform's DNS must not tell it which internal names exist.
        boolean literal = isAddressLiteral(url.getHost());
        var unreachable = "host " + url.getHost() + ": the platform does not connect to it (it must resolve to a"
                + " public address; loopback, private, link-local and cloud metadata addresses are refused)";
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(url.getHost()));
        } catch (UnknownHostException e) {
            throw UserErrorException.invalid(field, unreachable);
        }
        for (var address : addresses) {
            var refusal = refusal(address);
            if (refusal != null) {
                throw UserErrorException.invalid(
                        field,
                        literal
                                ? url.getHost() + " is " + refusal + ", which the platform does not connect to"
                                : unreachable);
            }
        }
        return addresses;
    }

    /**
     * As {@link #check}, for a server whose answers the platform trusts, such as an identity
     * provider's signing keys: https only, since keys fetched over http could be swapped on the way.
     * The one exception is http to a loopback address where the operator allows loopback (a
     * development identity provider on the same machine).
     */
    public List<InetAddress> checkSecure(URI url, String field) {
        var addresses = check(url, field);
        if (!url.getScheme().equalsIgnoreCase("https")
                && !addresses.stream().allMatch(InetAddress::isLoopbackAddress)) {
            throw UserErrorException.invalid(field, "an https URL is required");
        }
        return addresses;
    }

    private static boolean isAddressLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** Why the platform does not connect to {@code address}, or null if it may. */
    String refusal(InetAddress address) {
        return OutboundAddresses.refusal(address, properties.allowLoopback(), properties.allowPrivate());
    }
}
