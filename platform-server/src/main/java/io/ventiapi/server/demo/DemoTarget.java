package io.ventiapi.server.demo;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The deliberately vulnerable shop API ({@code demo-target}) that a local run serves for tours,
 * on a free port of 127.0.0.1 only: the demo tenant's project scans it. Started with dev services,
 * never in a configured deployment.
 */
@Component
@ConditionalOnProperty("venti.dev-services.active")
public class DemoTarget implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoTarget.class);

    private final OutOfScopeServer outOfScope;
    private final VulnerableApi api;
    private final String spec;

    DemoTarget() {
        try {
            this.outOfScope = new OutOfScopeServer();
            this.api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port());
            var dir = Files.createTempDirectory("venti-demo-target");
            this.spec = Files.readString(api.writeSpec(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("the demo target could not start", e);
        }
        log.info("Demo target (a deliberately vulnerable API) on {}", api.baseUri());
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return api.baseUri();
    }

    /** Its OpenAPI document. */
    public String spec() {
        return spec;
    }

    @Override
    public void close() {
        api.close();
        outOfScope.close();
    }
}
