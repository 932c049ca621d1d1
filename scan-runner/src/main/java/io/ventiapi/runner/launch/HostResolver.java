package io.ventiapi.runner.launch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a scan target's host name to the addresses its scanner may reach. */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver (the runner's DNS, which is also the cluster's or the local scans'). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
