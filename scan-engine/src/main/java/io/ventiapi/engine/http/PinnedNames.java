package io.ventiapi.engine.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The name resolver of every JVM with the engine on its class path (registered in {@code META-INF/services}).
 * Until {@link #pin} is called it is the JDK's own resolver, unchanged. Once names are pinned it answers each of
 * them with its pinned addresses and no other name at all, without a DNS query.
 *
 * <p>The scan runner resolves a scan's hosts once, checks the addresses against its SSRF policy and hands them to
 * the engine ({@code venti-scan --resolve}). Pinning them keeps a name that answered a public address when it was
 * checked from answering 169.254.169.254 or 127.0.0.1 when the engine connects (DNS rebinding).
 */
public final class PinnedNames extends InetAddressResolverProvider {

    /** Canonical names to their addresses; null while nothing is pinned. */
    private static volatile Map<String, List<InetAddress>> pins;

    /** Whether the JDK took this provider as its resolver; it takes the first provider it finds, or none. */
    private static volatile boolean chosen;

    /** For the JDK's service loader. */
    public PinnedNames() {}

    /**
     * From now on, resolves only these names, each to its addresses. Pins hold for the life of the process:
     * pinning the same names again changes nothing, other names fail.
     *
     * @param names host names to IP addresses; names are compared ignoring case and one trailing dot
     * @throws IllegalArgumentException when there is nothing to pin, a name is an IP address or has no address, or
     *     two names are one
     * @throws IllegalStateException when other names are pinned already, or the JVM resolves names elsewhere
     */
    public static synchronized void pin(Map<String, List<InetAddress>> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no names to pin");
        }
        Map<String, List<InetAddress>> canonical = new HashMap<>();
        names.forEach((name, addresses) -> {
            if (isAddress(name)) {
                throw new IllegalArgumentException(name + " is an address: addresses are never looked up");
            }
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException(name + ": no address to pin it to");
            }
            if (canonical.put(canonical(name), List.copyOf(addresses)) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
        });
        if (pins != null) {
            if (!pins.equals(canonical)) {
                throw new IllegalStateException(
                        "other names are pinned already; pins hold for the life of the process");
            }
            return;
        }
        pins = Map.copyOf(canonical);
        // The JDK loads its resolver at the first lookup of a name. Look a pinned name up now (after pinning, so
        // the answer is the pinned one) to learn whether it took this provider: with another provider first on
        // the class path, or jdk.net.hosts.file set, the pins would silently not apply.
        try {
            InetAddress.getAllByName(pins.keySet().iterator().next());
        } catch (UnknownHostException e) {
            // Only the addresses of the other family were pinned; the resolver is loaded all the same.
        }
        if (!chosen) {
            pins = null;
            throw new IllegalStateException("the JVM does not resolve names through " + PinnedNames.class.getName()
                    + " (another resolver provider or jdk.net.hosts.file), so names cannot be pinned");
        }
    }

    /** Forgets the pins, for tests; positive answers stay in the JDK's cache for 30 s. */
    static synchronized void unpin() {
        pins = null;
    }

    private static boolean isAddress(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A host name in the form pinned names are compared in: lower case, without a trailing dot. */
    public static String canonical(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        chosen = true;
        return new Resolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "venti-scan pinned names";
    }

    /** Answers from the pins once there are any, else from the JDK's own resolver. */
    static final class Resolver implements InetAddressResolver {

        private final InetAddressResolver builtin;

        Resolver(InetAddressResolver builtin) {
            this.builtin = builtin;
        }

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            Map<String, List<InetAddress>> pinned = pins;
            if (pinned == null) {
                return builtin.lookupByName(host, policy);
            }
            List<InetAddress> addresses = pinned.get(canonical(host));
            if (addresses == null) {
                throw new UnknownHostException(host + ": not a host this scan may reach");
            }
            int characteristics = policy.characteristics();
            List<InetAddress> answer = new ArrayList<>();
            for (InetAddress address : addresses) {
                int family = address instanceof Inet4Address ? LookupPolicy.IPV4 : LookupPolicy.IPV6;
                if ((characteristics & family) != 0) {
                    answer.add(named(host, address));
                }
            }
            if (answer.isEmpty()) {
                throw new UnknownHostException(host + ": no pinned address of the family this lookup asks for");
            }
            // A stable sort: within a family the addresses keep the order they were pinned in.
            if ((characteristics & LookupPolicy.IPV4_FIRST) != 0) {
                answer.sort(Comparator.comparing(address -> address instanceof Inet6Address));
            } else if ((characteristics & LookupPolicy.IPV6_FIRST) != 0) {
                answer.sort(Comparator.comparing(address -> address instanceof Inet4Address));
            }
            return answer.stream();
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            return builtin.lookupByAddress(address);
        }

        /** The address carrying the name asked for, as the JDK's answers do: its host name needs no reverse lookup. */
        private static InetAddress named(String host, InetAddress address) throws UnknownHostException {
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                return Inet6Address.getByAddress(host, v6.getAddress(), v6.getScopeId());
            }
            return InetAddress.getByAddress(host, address.getAddress());
        }
    }
}
