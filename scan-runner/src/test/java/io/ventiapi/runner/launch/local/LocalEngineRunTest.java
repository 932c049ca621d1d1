package io.ventiapi.runner.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local launcher with the real engine in a child JVM, against a real HTTP server on 127.0.0.1. */
class LocalEngineRunTest {

    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: Health, version: '1'}
            paths:
              /health:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {type: object, properties: {status: {type: string}}}
            """;

    @TempDir
    Path temp;

    @Test
    void theBundledEngineRunsAsAChildProcessAndSpeaksTheEventProtocol() throws Exception {
        var target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            var body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        var launcher = new LocalProcessWorkloads(new LocalLauncherProperties(List.of(), temp, Duration.ofSeconds(5)));
        var job = new ScanJob(
                "local-engine-1",
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create("http://127.0.0.1:" + target.getAddress().getPort()),
                "SAFE",
                50,
                200,
                Duration.ofMinutes(2),
                SPEC,
                List.of(),
                null);
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(job)) {
            scan.follow(lines::add);
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
        } finally {
            target.stop(0);
        }

        var codec = new ScanEventCodec();
        var events = lines.stream().map(codec::parse).toList();
        assertThat(events.getFirst()).isInstanceOf(ScanEvent.ScanStarted.class);
        assertThat(events.getLast())
                .isInstanceOfSatisfying(
                        ScanEvent.ScanFinished.class,
                        finished -> assertThat(finished.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED));
        assertThat(events).allSatisfy(event -> assertThat(event.scanId()).isEqualTo("local-engine-1"));
    }
}
