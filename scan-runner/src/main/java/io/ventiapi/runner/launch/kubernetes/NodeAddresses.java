package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of the cluster's nodes (their {@code status.addresses} that are IP literals), read
 * at most every {@link #REFRESH}: a scanner pod connecting to one reaches the node itself (its
 * kubelet, node exporter and node ports) past the firewalls in front of it. Listing nodes needs
 * the runner's service account to {@code list} them; without that right the runner says so and
 * refuses no node.
 */
final class NodeAddresses implements Predicate<InetAddress> {

    private static final Logger log = LoggerFactory.getLogger(NodeAddresses.class);

    static final Duration REFRESH = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private Set<InetAddress> known = Set.of();
    private Instant readAt;

    NodeAddresses(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public synchronized boolean test(InetAddress address) {
        var now = Instant.now();
        if (readAt == null || !now.isBefore(readAt.plus(REFRESH))) {
            readAt = now;
            read();
        }
        return known.contains(address);
    }

    private void read() {
        try {
            var addresses = new HashSet<InetAddress>();
            for (Node node : client.nodes().list().getItems()) {
                if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
                    continue;
                }
                for (NodeAddress address : node.getStatus().getAddresses()) {
                    try {
                        addresses.add(InetAddress.ofLiteral(address.getAddress()));
                    } catch (IllegalArgumentException | NullPointerException e) {
                        // a Hostname entry: the addresses it names are listed as well
                    }
                }
            }
            known = Set.copyOf(addresses);
        } catch (KubernetesClientException e) {
            // The last list read stays; none read yet, nothing is refused for being a node's.
            log.warn(
                    "Cannot list the cluster's nodes ({}): scan targets on a node's own address are not refused;"
                            + " let the runner's service account list nodes",
                    e.getMessage());
        }
    }
}
