package io.ventiapi.platform.outbound;

import io.ventiapi.platform.common.UserErrorException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Decides whether the platform may connect to a URL a tenant gave it. The host is resolved and
 * every address checked: loopback, private, link-local (cloud metadata lives there), CGNAT,
 * unique-local, multicast and unspecified addresses are refused unless the operator allows them.
 */
@Component
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundUrlPolicy {

    private final OutboundProperties properties;

    public OutboundUrlPolicy(OutboundProperties properties) {
        this.properties = properties;
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
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(url.getHost()));
        } catch (UnknownHostException e) {
            throw UserErrorException.invalid(field, "host " + url.getHost() + " does not resolve");
        }
        for (var address : addresses) {
            var refusal = refusal(address);
            if (refusal != null) {
                throw UserErrorException.invalid(
                        field,
                        "host " + url.getHost() + " resolves to " + refusal + " address " + address.getHostAddress()
                                + ", which the platform does not connect to");
            }
        }
        return addresses;
    }

    private String refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return properties.allowLoopback() ? null : "a loopback";
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "an unspecified or multicast";
        }
        if (isCloudMetadata(address)) {
            return properties.allowPrivate() ? null : "a cloud metadata";
        }
        boolean internal = address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || isCarrierGradeNat(address)
                || isUniqueLocal(address);
        return internal && !properties.allowPrivate() ? "a private or link-local" : null;
    }

    private static boolean isCloudMetadata(InetAddress address) {
        var bytes = address.getAddress();
        return (bytes.length == 4 && (bytes[0] & 0xff) == 169 && (bytes[1] & 0xff) == 254)
                || (address instanceof Inet6Address && address.getHostAddress().startsWith("fd00:ec2:"));
    }

    private static boolean isCarrierGradeNat(InetAddress address) {
        var bytes = address.getAddress();
        return bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        var bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
