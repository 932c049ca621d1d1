package io.ventiapi.engine.canary;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where the engine's canary HTTP listener binds and the URL the target must use to reach it. The target fetching
 * that URL is the proof of a server-side request forgery; the engine itself never sends a request to it.
 *
 * @param listen the address to bind, or null when the canary is off; a host name may be left unresolved, to be
 *     looked up when the listener starts
 * @param publicUrl the URL handed to the target, or null to derive it from the bound address (fine when the
 *     target runs on the same host or network namespace)
 */
public record CanarySettings(InetSocketAddress listen, URI publicUrl) {

    /** No canary: out-of-band checks are skipped. */
    public static CanarySettings off() {
        return new CanarySettings(null, null);
    }

    /** A canary on 127.0.0.1 and an ephemeral port. */
    public static CanarySettings loopback() {
        return new CanarySettings(new InetSocketAddress("127.0.0.1", 0), null);
    }

    public boolean enabled() {
        return listen != null;
    }
}
