package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS targets: a self-signed certificate fails the scan with a clear reason unless the user opts in to trust
 * it, and on HTTPS a missing Strict-Transport-Security header is reported, a present one is not.
 */
class TlsTargetTest {

    @TempDir
    Path dir;

    private SSLContext selfSignedContext() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).as("keytool exit code").isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private HttpsServer server(SSLContext tls, boolean hsts) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean ping = exchange.getRequestMethod().equals("GET")
                        && exchange.getRequestURI().getPath().equals("/ping");
                byte[] body = (ping ? "{\"ok\":true}" : "{\"error\":\"not found\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                // A declared rate limit: this test is about TLS, not about API4.
                exchange.getResponseHeaders().set("RateLimit-Policy", "100;w=60");
                if (hsts) {
                    exchange.getResponseHeaders().set("Strict-Transport-Security", "max-age=31536000");
                }
                exchange.sendResponseHeaders(ping ? 200 : 404, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private ScanResult scan(HttpsServer server, boolean trustAnyCertificate) throws Exception {
        Path spec = dir.resolve("ping.yaml");
        Files.writeString(spec, """
                openapi: 3.0.3
                info: {title: ping, version: '1'}
                paths:
                  /ping:
                    get:
                      responses:
                        '200':
                          description: ok
                          content:
                            application/json:
                              schema: {type: object, properties: {ok: {type: boolean}}}
                """);
        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(spec.toString()));
        URI target = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
        ScanRequest request = new ScanRequest(
                "tls",
                plan,
                target,
                List.of(),
                ScanProfile.STANDARD,
                new ExecutionLimits(4, 0, 500, Duration.ofMinutes(1), Duration.ofSeconds(10)),
                null,
                trustAnyCertificate);
        return new ScanEngine(BuiltInChecks.all()).run(request, event -> {});
    }

    @Test
    void refusesAnUntrustedCertificateUnlessToldOtherwise() throws Exception {
        SSLContext tls = selfSignedContext();
        HttpsServer server = server(tls, false);
        try {
            ScanResult refused = scan(server, false);
            assertThat(refused.outcome()).isEqualTo(ScanEvent.ScanOutcome.FAILED);
            assertThat(refused.reason()).contains("TLS handshake failed");

            ScanResult trusted = scan(server, true);
            assertThat(trusted.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            assertThat(trusted.findings()).extracting(Finding::ruleId).containsExactly("misconfig.missing-hsts");
        } finally {
            server.stop(0);
        }
        HttpsServer withHsts = server(tls, true);
        try {
            assertThat(scan(withHsts, true).findings()).isEmpty();
        } finally {
            withHsts.stop(0);
        }
    }
}
