package io.ventiapi.runner.launch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One address and TCP port a scanner may connect to, and the host name it was resolved from. */
public record EgressDestination(String host, InetAddress address, int port) {

    // the longest run of two or more zero groups in Java's uncompressed IPv6 text
    private static final Pattern ZERO_GROUPS = Pattern.compile("(?:^|:)0(?::0)+(?::|$)");

    /** The address as a single-host CIDR block: {@code /32} for IPv4, {@code /128} for IPv6. */
    public String cidr() {
        return address instanceof Inet4Address
                ? address.getHostAddress() + "/32"
                : canonical((Inet6Address) address) + "/128";
    }

    /**
     * RFC 5952 text ({@code 2001:db8::10}, not Java's {@code 2001:db8:0:0:0:0:0:10}), the form
     * Kubernetes' strict CIDR validation expects; without a zone, which is no part of a CIDR.
     */
    private static String canonical(Inet6Address address) {
        String full = address.getHostAddress();
        int zone = full.indexOf('%');
        if (zone >= 0) {
            full = full.substring(0, zone);
        }
        Matcher zeros = ZERO_GROUPS.matcher(full);
        int start = -1;
        int end = -1;
        int longest = 0;
        while (zeros.find()) {
            int groups = zeros.group().replace(":", "").length(); // the first of equally long runs wins
            if (groups > longest) {
                longest = groups;
                start = zeros.start();
                end = zeros.end();
            }
        }
        return start < 0 ? full : full.substring(0, start) + "::" + full.substring(end);
    }
}
