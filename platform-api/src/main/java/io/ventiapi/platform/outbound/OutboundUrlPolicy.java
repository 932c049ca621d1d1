package io.ventiapi.platform.outbound;

import io.ventiapi.platform.common.UserErrorException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Decides whether the platform may connect to a URL a tenant gave it. The host is resolved and
 * every address checked: loopback, private, link-local (cloud metadata lives there), CGNAT,
 * unique-local and reserved addresses are refused unless the operator allows them; multicast,
 * broadcast and "this network" ones always. An IPv6 address that carries an IPv4 one (IPv4-mapped
 * or -compatible, NAT64, 6to4) is judged by the IPv4 address, which is where a translating
 * network would deliver it.
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

    private static boolean isAddressLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** Why the platform does not connect to {@code address}, or null if it may. */
    String refusal(InetAddress address) {
        var embedded = embeddedIpv4(address);
        if (embedded != null) {
            var refusal = refusal(embedded);
            return refusal == null ? null : "an IPv6 address carrying " + refusal;
        }
        if (address.isLoopbackAddress()) {
            return properties.allowLoopback() ? null : described("a loopback", address);
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || isUnroutableIpv4(address)) {
            return described("an unspecified, broadcast or multicast", address);
        }
        if (isCloudMetadata(address)) {
            return properties.allowPrivate() ? null : described("a cloud metadata", address);
        }
        boolean internal = address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || isCarrierGradeNat(address)
                || isReservedIpv4(address)
                || isUniqueLocal(address)
                || isLocalNat64(address);
        return internal && !properties.allowPrivate() ? described("a private or link-local", address) : null;
    }

    /**
     * The kind of address, not the address: a tenant may name any host, and the answer would map
     * the names the platform's own DNS knows.
     */
    private static String described(String kind, InetAddress address) {
        return kind + " address";
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}; Java converts a literal, not
     * an AAAA record), SIIT ({@code ::ffff:0:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), NAT64
     * ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16}) address, else null.
     */
    private static Inet4Address embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return null;
        }
        var b = address.getAddress();
        int offset;
        if (zeros(b, 0, 10) && (u16(b, 10) == 0 || u16(b, 10) == 0xffff)) {
            offset = 12;
        } else if (zeros(b, 0, 8) && u16(b, 8) == 0xffff && u16(b, 10) == 0) {
            offset = 12;
        } else if (u16(b, 0) == 0x64 && u16(b, 2) == 0xff9b && zeros(b, 4, 12)) {
            offset = 12;
        } else if (u16(b, 0) == 0x2002) {
            offset = 2;
        } else {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    /** 0.0.0.0/8 ("this network": Linux delivers 0.0.0.0 locally) and 240.0.0.0/4 with broadcast. */
    private static boolean isUnroutableIpv4(InetAddress address) {
        var bytes = address.getAddress();
        return bytes.length == 4 && ((bytes[0] & 0xff) == 0 || (bytes[0] & 0xf0) == 0xf0);
    }

    /** 192.0.0.0/24 (protocol assignments) and 198.18.0.0/15 (benchmarking, often used inside networks). */
    private static boolean isReservedIpv4(InetAddress address) {
        var bytes = address.getAddress();
        if (bytes.length != 4) {
            return false;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return (first == 192 && second == 0 && bytes[2] == 0) || (first == 198 && (second & 0xfe) == 18);
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

    /**
     * 64:ff9b:1::/48, NAT64 for an operator's own networks: where its IPv4 address sits depends on
     * the translator's prefix length, so the whole range counts as private.
     */
    private static boolean isLocalNat64(InetAddress address) {
        var b = address.getAddress();
        return b.length == 16 && u16(b, 0) == 0x64 && u16(b, 2) == 0xff9b && u16(b, 4) == 1;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        var bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
