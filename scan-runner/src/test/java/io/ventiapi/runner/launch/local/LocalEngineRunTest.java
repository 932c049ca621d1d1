package io.ventiapi.runner.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.ScanEgressPlanner;
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
        var target = healthTarget(new CopyOnWriteArrayList<>());
        var launcher = launcher(HostResolver.SYSTEM);
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(
                job("local-engine-1", "http://127.0.0.1:" + target.getAddress().getPort()))) {
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

    @Test
    void theEngineConnectsWhereTheRunnerResolvedTheTargetNotWhereItsOwnDnsWould() throws Exception {
        // rebind.test exists in no DNS: the engine reaches the target only through the address the
        // runner resolved and checked, which it was handed with --resolve.
        var hosts = new CopyOnWriteArrayList<String>();
        var target = healthTarget(hosts);
        var launcher =
                launcher(host -> host.equals("rebind.test") ? List.of(InetAddress.getLoopbackAddress()) : List.of());
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(job(
                "local-engine-2", "http://rebind.test:" + target.getAddress().getPort()))) {
            scan.follow(lines::add);
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
        } finally {
            target.stop(0);
        }

        var finished = new ScanEventCodec().parse(lines.getLast());
        assertThat(finished)
                .isInstanceOfSatisfying(
                        ScanEvent.ScanFinished.class,
                        end -> assertThat(end.outcome())
                                .as(lines.toString())
                                .isEqualTo(ScanEvent.ScanOutcome.COMPLETED));
        assertThat(hosts).isNotEmpty().allSatisfy(host -> assertThat(host).startsWith("rebind.test:"));
    }

    /** A target serving the spec's one operation, noting each request's Host header. */
    private static HttpServer healthTarget(List<String> hosts) throws java.io.IOException {
        var target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            var body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        return target;
    }

    private LocalProcessWorkloads launcher(HostResolver resolver) {
        return new LocalProcessWorkloads(
                new LocalLauncherProperties(List.of(), temp, Duration.ofSeconds(5)),
                new ScanEgressPlanner(resolver, true, false));
    }

    private static ScanJob job(String id, String target) {
        return new ScanJob(
                id,
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create(target),
                "SAFE",
                50,
                200,
                Duration.ofMinutes(2),
                SPEC,
                List.of(),
                null);
    }
}
