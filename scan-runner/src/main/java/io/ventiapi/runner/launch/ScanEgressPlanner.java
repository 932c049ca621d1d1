package io.ventiapi.runner.launch.kubernetes;

import io.ventiapi.protocol.ScanJob;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides where a scan's pod may connect: the target's resolved addresses on the target's port,
 * plus the token endpoints of OAuth2 identities (the one request the engine sends outside the
 * target's origin). Resolved here, once, so that a name that later resolves elsewhere (DNS
 * rebinding) leads the pod nowhere; and checked here again, because the platform checked the
 * name when the scan was accepted, not what it resolves to now.
 */
final class ScanEgressPlanner {

    /** Why a scan's pod may not be given the egress it needs; the message is for the user. */
    static final class RefusedEgressException extends Exception {
        RefusedEgressException(String message) {
            super(message);
        }
    }

    private final HostResolver resolver;
    private final boolean allowPrivate;

    /** @param allowPrivate whether targets may be in private ranges (a cluster scanning its own APIs) */
    ScanEgressPlanner(HostResolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /**
     * @throws RefusedEgressException when the target or a token endpoint does not resolve, or
     *     resolves to an address scanner pods must not reach
     */
    List<EgressDestination> destinations(ScanJob job) throws RefusedEgressException {
        Set<EgressDestination> destinations = new LinkedHashSet<>();
        addAll(destinations, job.target());
        for (String identity : job.identities()) {
            String tokenUrl = identityOption(identity, "token-url");
            if (tokenUrl != null) {
                // a relative token URL is resolved against the target, whose address is already in
                addAll(destinations, job.target().resolve(tokenUrl));
            }
        }
        return List.copyOf(destinations);
    }

    private void addAll(Set<EgressDestination> destinations, URI url) throws RefusedEgressException {
        String host = url.getHost();
        if (host == null) {
            throw new RefusedEgressException("no host in " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : defaultPort(url.getScheme());
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedEgressException("cannot resolve " + host);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new RefusedEgressException(host + " resolves to " + address.getHostAddress() + ", " + refusal);
            }
            destinations.add(new EgressDestination(address, port));
        }
    }

    /** Why {@code address} is out of bounds for a scanner pod, or null when it is not. */
    private String refusal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "a loopback, wildcard or multicast address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address, where cloud metadata services live";
        }
        byte[] bytes = address.getAddress();
        boolean isPrivate = address.isSiteLocalAddress()
                || (bytes.length == 4 && bytes[0] == 100 && (bytes[1] & 0xc0) == 64) // 100.64/10, CGNAT
                || (bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc); // fc00::/7, unique local
        if (isPrivate && !allowPrivate) {
            return "a private address (venti.runner.kubernetes.allow-private-targets is off)";
        }
        return null;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /**
     * Reads one {@code key=value} of an engine identity spec ({@code type=oauth2,token-url=…}):
     * comma-separated pairs, {@code \,} for a literal comma, as {@code docs/engine/cli.md} defines.
     */
    static String identityOption(String identity, String key) {
        List<String> pairs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < identity.length(); i++) {
            char c = identity.charAt(i);
            if (c == '\\' && i + 1 < identity.length() && identity.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                pairs.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pairs.add(current.toString());
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(key)) {
                return pair.substring(equals + 1).strip();
            }
        }
        return null;
    }
}
