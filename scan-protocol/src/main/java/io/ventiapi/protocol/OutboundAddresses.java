package io.ventiapi.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which addresses the platform and its scanners may connect to on a tenant's say-so, one rule for
 * the api's outbound guard and the runners' egress: loopback (and this machine's own addresses,
 * public ones too), private, link-local (cloud metadata lives there), CGNAT, unique-local and
 * reserved addresses are refused unless allowed; multicast,
 * broadcast and "this network" ones always. An IPv6 address that carries an IPv4 one
 * (IPv4-mapped or -compatible, NAT64, 6to4) is judged by the IPv4 address, which is where a
 * translating network would deliver it.
 */
public final class OutboundAddresses {

    private OutboundAddresses() {}

    /**
     * Why the platform, or a scanner, does not connect to {@code address}, or null if it may.
     *
     * @param allowLoopback whether 127.0.0.0/8, ::1 and this machine's own addresses may be reached
     *     (a local run)
     * @param allowPrivate whether private, link-local (cloud metadata), CGNAT, unique-local and
     *     reserved ranges may be reached (an operator scanning its own networks)
     */
    public static String refusal(InetAddress address, boolean allowLoopback, boolean allowPrivate) {
        var embedded = embeddedIpv4(address);
        if (embedded != null) {
            var refusal = refusal(embedded, allowLoopback, allowPrivate);
            return refusal == null ? null : "an IPv6 address carrying " + refusal;
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : described("a loopback", address);
        }
        if (!allowLoopback && isOwn(address)) {
            // Public or not, an address of this machine's is delivered here, past every firewall
            // in front of it: to whatever listens on all interfaces (databases, management ports).
            return described("this machine's own", address);
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || isUnroutableIpv4(address)) {
            return described("an unspecified, broadcast or multicast", address);
        }
        if (isCloudMetadata(address)) {
            return allowPrivate ? null : described("a cloud metadata", address);
        }
        boolean internal = address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || isCarrierGradeNat(address)
                || isReservedIpv4(address)
                || isUniqueLocal(address)
                || isLocalNat64(address);
        return internal && !allowPrivate ? described("a private or link-local", address) : null;
    }

    /**
     * Whether {@code address}, or the IPv4 address it carries, is link-local (169.254.0.0/16,
     * fe80::/10) or a cloud metadata address, where instance credentials are served, or in the
     * local NAT64 range, which may carry one.
     */
    public static boolean isLinkLocalOrMetadata(InetAddress address) {
        var embedded = embeddedIpv4(address);
        var judged = embedded == null ? address : embedded;
        // A local NAT64 address may carry any IPv4 address, metadata ones included, where no rule finds it.
        return judged.isLinkLocalAddress() || isCloudMetadata(judged) || isLocalNat64(address);
    }

    /** Whether {@code address} is one of this machine's interfaces' (or it cannot be told). */
    private static boolean isOwn(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
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

    /**
     * 169.254.0.0/16 (AWS, GCP, Azure, Oracle and others serve instance metadata there), AWS's IPv6
     * fd00:ec2::/32, Alibaba's 100.100.100.200, Oracle Cloud Classic's 192.0.0.192 and Azure's host
     * agent at 168.63.129.16 (a public address, served only inside Azure).
     */
    private static boolean isCloudMetadata(InetAddress address) {
        var bytes = address.getAddress();
        return (bytes.length == 4 && (bytes[0] & 0xff) == 169 && (bytes[1] & 0xff) == 254)
                || isIpv4(bytes, 100, 100, 100, 200)
                || isIpv4(bytes, 192, 0, 0, 192)
                || isIpv4(bytes, 168, 63, 129, 16)
                || (address instanceof Inet6Address && address.getHostAddress().startsWith("fd00:ec2:"));
    }

    private static boolean isIpv4(byte[] bytes, int a, int b, int c, int d) {
        return bytes.length == 4
                && (bytes[0] & 0xff) == a
                && (bytes[1] & 0xff) == b
                && (bytes[2] & 0xff) == c
                && (bytes[3] & 0xff) == d;
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
