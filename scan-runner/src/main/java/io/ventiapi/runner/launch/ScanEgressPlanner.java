package io.ventiapi.runner.launch;

import io.ventiapi.engine.http.PinnedNames;
import io.ventiapi.engine.identity.IdentityParser;
import io.ventiapi.protocol.OutboundAddresses;
import io.ventiapi.protocol.ScanJob;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides where a scan's scanner may connect: the target's resolved addresses on the target's
 * port, plus the token endpoints of OAuth2 identities (the one request the engine sends outside
 * the target's origin). Resolved here, once, and checked here again by the platform's rule
 * ({@link OutboundAddresses}), because the platform checked the name when the scan was accepted,
 * not what it resolves to now. The scanner is then held to these addresses: a pod by its
 * network policy, any engine by {@link #pins} ({@code --resolve}), so that a name that later
 * resolves elsewhere (DNS rebinding) leads it nowhere. Link-local and cloud metadata addresses
 * are refused whatever the operator allows.
 */
public final class ScanEgressPlanner {

    /**
     * Why a scan's scanner may not be given the egress it needs. The message is for the user and
     * names no address a name resolved to (a tenant may name any host, and the answer would map
     * the names the runner's DNS knows); {@link #detail} is for the runner's log.
     */
    public static final class RefusedEgressException extends Exception {

        private final String detail;

        RefusedEgressException(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        /** The message with the address, for the operator. */
        public String detail() {
            return detail;
        }
    }

    private final HostResolver resolver;
    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Predicate<InetAddress> infrastructure;

    /**
     * @param allowLoopback whether targets may be on the scanner's own machine (a local run)
     * @param allowPrivate whether targets may be in private ranges (scanning one's own APIs)
     */
    public ScanEgressPlanner(HostResolver resolver, boolean allowLoopback, boolean allowPrivate) {
        this(resolver, allowLoopback, allowPrivate, address -> false);
    }

    /**
     * @param infrastructure the addresses of the machines scanners run on besides the runner's own
     *     (a cluster's nodes), refused whatever is allowed: traffic to them skips every firewall
     *     in front of them, to their kubelet and node ports
     */
    public ScanEgressPlanner(
            HostResolver resolver, boolean allowLoopback, boolean allowPrivate, Predicate<InetAddress> infrastructure) {
        this.resolver = resolver;
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.infrastructure = infrastructure;
    }

    /**
     * @throws RefusedEgressException when the target or a token endpoint does not resolve, or
     *     resolves to an address scanners must not reach
     */
    public List<EgressDestination> destinations(ScanJob job) throws RefusedEgressException {
        Set<EgressDestination> destinations = new LinkedHashSet<>();
        addAll(destinations, job.target());
        for (String identity : job.identities()) {
            String tokenUrl;
            try {
                tokenUrl = IdentityParser.option(identity, "token-url");
            } catch (IllegalArgumentException e) {
                throw new RefusedEgressException(
                        "an identity of the scan cannot be read", "an identity cannot be read: " + e.getMessage());
            }
            if (tokenUrl != null) {
                // a relative token URL is resolved against the target, whose address is already in
                addAll(destinations, job.target().resolve(tokenUrl));
            }
        }
        return List.copyOf(destinations);
    }

    /**
     * The names among {@code destinations} with the addresses each resolved to, for the engine's
     * {@code --resolve}: it connects to those names there and resolves no other. Address literals
     * are left out: nothing resolves them.
     */
    public static Map<String, List<InetAddress>> pins(List<EgressDestination> destinations) {
        var pins = new LinkedHashMap<String, List<InetAddress>>();
        for (var destination : destinations) {
            if (!isLiteral(destination.host())) {
                // One key per name as the engine reads it: API.example.com. is api.example.com.
                var addresses =
                        pins.computeIfAbsent(PinnedNames.canonical(destination.host()), host -> new ArrayList<>());
                if (!addresses.contains(destination.address())) {
                    addresses.add(destination.address());
                }
            }
        }
        return pins;
    }

    private static boolean isLiteral(String host) {
        try {
            InetAddress.ofLiteral(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void addAll(Set<EgressDestination> destinations, URI url) throws RefusedEgressException {
        String host = url.getHost();
        if (host == null) {
            throw new RefusedEgressException("no host in " + url, "no host in " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : defaultPort(url.getScheme());
        // For a name, the message says neither whether it resolves nor to what kind of address.
        var unreachable = host + ": scanners do not connect to it (it must resolve to a public address;"
                + " link-local and cloud metadata addresses are refused, loopback and private ones unless allowed)";
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedEgressException(unreachable, "cannot resolve " + host);
        }
        if (addresses.isEmpty()) {
            // Nothing to pin it to: the scanner would look the name up itself.
            throw new RefusedEgressException(unreachable, "no address for " + host);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new RefusedEgressException(
                        isLiteral(host) ? host + " is " + refusal : unreachable,
                        host + " resolves to " + address.getHostAddress() + ", " + refusal);
            }
            destinations.add(new EgressDestination(host, address, port));
        }
    }

    /** Why {@code address} is out of bounds for a scanner, or null when it is not. */
    private String refusal(InetAddress address) {
        if (OutboundAddresses.isLinkLocalOrMetadata(address)) {
            return "a link-local address, where cloud metadata services live";
        }
        if (infrastructure.test(address)) {
            return "an address of one of the cluster's nodes, which scanners do not connect to";
        }
        String refusal = OutboundAddresses.refusal(address, allowLoopback, allowPrivate);
        return refusal == null ? null : refusal + ", which scanners do not connect to";
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }
}
