package io.ventiapi.engine.bench;

import com.sun.net.httpserver.HttpServer;
import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.EngineRuntime;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the engine's performance figures (see docs/engine/benchmarks.md for the command): raw request rate
 * against a trivial 127.0.0.1 endpoint next to wrk's, the wall time and request count of STANDARD scans of the
 * test API, peak RSS while planning the largest corpus documents, and CLI start to first request. All traffic
 * stays on 127.0.0.1. A main class, not a test: figures depend on the machine and are not asserted.
 */
public final class EngineBenchmark {

    private static final Duration RATE_RUN = Duration.ofSeconds(10);
    /**
     * Long enough for C2 to compile the client's and the endpoint's hot paths on a slow 2-core machine: with 15 s,
     * the rate still rose by a tenth over the next 10 s.
     */
    private static final Duration RATE_WARM_UP = Duration.ofSeconds(30);

    private static final int RATE_ROUNDS = 3;
    private static final int CONNECTIONS = 64;
    /** The JVM flags bin/venti-scan uses, without the class-data-sharing archive. */
    private static final List<String> CLI_FLAGS =
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-Xmx192m");

    private EngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("serve")) { // the endpoint of (a), not the engine
            HttpServer server = trivialServer();
            System.out.println(server.getAddress().getPort());
            System.out.flush();
            System.in.read(); // serve until the parent closes our stdin
            server.stop(0);
            return;
        }
        EngineRuntime.configure(); // measure the engine as venti-scan runs it
        if (args.length == 2 && args[0].equals("plan")) {
            planAndReportPeakRss(Path.of(args[1]));
            return;
        }
        if (args.length == 2 && args[0].equals("engine-rate")) { // (a) in a JVM started with the CLI's flags
            System.out.println(warmAndMeasureEngineRate(URI.create(args[1])));
            return;
        }
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", java " + Runtime.version());
        if (args.length == 1 && args[0].equals("scan")) { // (b) alone
            scanOfTestApi();
            return;
        }
        if (args.length == 1 && args[0].equals("rate")) { // (a) alone
            requestRate();
            return;
        }
        requestRate();
        scanOfTestApi();
        planningMemory();
        cliStartToFirstRequest();
    }

    /**
     * (a) The engine's client and wrk against the same trivial endpoint, one after the other. The endpoint runs
     * in its own JVM so that, like wrk, the engine does not share its process with the server. The engine's
     * warm-up (JIT compilation, connection pool) also warms the endpoint up before either side is measured.
     * They take turns for {@value #RATE_ROUNDS} rounds, and the median round counts: on a shared machine either
     * side's figure moves by a tenth from one run to the next. Last, the engine again in a JVM started with the
     * flags bin/venti-scan uses (C1 only, serial GC).
     */
    private static void requestRate() throws Exception {
        Process server = new ProcessBuilder(
                        javaBinary(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        EngineBenchmark.class.getName(),
                        "serve")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            URI target = URI.create("http://127.0.0.1:" + lines.readLine().trim());
            engineAgainstWrk(target);
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(CLI_FLAGS);
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    EngineBenchmark.class.getName(),
                    "engine-rate",
                    target.toString()));
            Process cliJvm = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String cliRate = new String(cliJvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            cliJvm.waitFor();
            System.out.println("(a) engine request rate with the bin/venti-scan flags: " + cliRate);
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static void engineAgainstWrk(URI target) throws Exception {
        try (TargetClient client = new TargetClient(target, rateLimits())) {
            engineRate(client, RATE_WARM_UP);
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= RATE_ROUNDS; round++) {
                EngineRate engine = engineRate(client, RATE_RUN);
                System.out.printf("(a) round %d, engine request rate: %s (%d in flight)%n", round, engine, CONNECTIONS);
                Double wrk = wrkRate(target);
                if (wrk == null) {
                    System.out.println("(a) wrk not installed (apt-get install -y wrk): no comparison");
                    continue;
                }
                ratios.add(engine.perSecond() / wrk);
                System.out.printf(
                        "(a) round %d, wrk request rate:    %.0f req/s (wrk -t2 -c%d) -> engine at %.0f%% of wrk%n",
                        round, wrk, CONNECTIONS, 100 * engine.perSecond() / wrk);
            }
            if (!ratios.isEmpty()) {
                ratios.sort(null);
                System.out.printf(
                        "(a) engine at %.0f%% of wrk (median of %d rounds)%n",
                        100 * ratios.get(ratios.size() / 2), ratios.size());
            }
        }
    }

    private static ExecutionLimits rateLimits() {
        return new ExecutionLimits(CONNECTIONS, 0, Integer.MAX_VALUE, Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    /** Requests per second, and CPU time of the whole engine JVM per request (less sensitive to other load). */
    private record EngineRate(double perSecond, double cpuMicrosPerRequest) {
        @Override
        public String toString() {
            return String.format("%.0f req/s, %.1f us of CPU per request", perSecond, cpuMicrosPerRequest);
        }
    }

    /** One client, as in a scan: warmed up, then measured. */
    private static EngineRate warmAndMeasureEngineRate(URI target) throws InterruptedException {
        try (TargetClient client = new TargetClient(target, rateLimits())) {
            engineRate(client, RATE_WARM_UP);
            return engineRate(client, RATE_RUN);
        }
    }

    private static EngineRate engineRate(TargetClient client, Duration length) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong done = new AtomicLong();
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            ProbeRequest request = new ProbeRequest("GET", "/", Map.of(), null);
            long end = System.nanoTime() + length.toNanos();
            CountDownLatch finished = new CountDownLatch(CONNECTIONS);
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < CONNECTIONS; i++) {
                workers.submit(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            client.send(request);
                            done.incrementAndGet();
                        }
                    } finally {
                        finished.countDown();
                    }
                });
            }
            finished.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new EngineRate(done.get() / seconds, (os.getProcessCpuTime() - cpuStart) / 1e3 / done.get());
        }
    }

    private static Double wrkRate(URI target) throws IOException, InterruptedException {
        Process wrk;
        try {
            wrk = new ProcessBuilder("wrk", "-t2", "-c" + CONNECTIONS, "-d" + RATE_RUN.toSeconds() + "s", target + "/")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    private static HttpServer trivialServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        server.start();
        return server;
    }

    /** (b) STANDARD scans of both variants of the test API. */
    private static void scanOfTestApi() throws Exception {
        Path dir = Files.createTempDirectory("venti-bench");
        for (VulnerableApi.Mode mode : VulnerableApi.Mode.values()) {
            try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                    VulnerableApi api = new VulnerableApi(mode, outOfScope.port())) {
                var outcome = TestApiScan.scan(api, dir, ScanProfile.STANDARD);
                System.out.printf(
                        "(b) STANDARD scan of the %s test API: %d ms, %d requests, %d findings, %d operations%n",
                        mode.name().toLowerCase(),
                        outcome.result().duration().toMillis(),
                        outcome.result().requestsSent(),
                        outcome.result().findings().size(),
                        outcome.result().operationsTested());
                if (mode == VulnerableApi.Mode.VULNERABLE) {
                    for (var flaw :
                            io.ventiapi.engine.testapi.GroundTruth.load().flaws()) {
                        if (outcome.result().findings().stream().noneMatch(flaw::matches)) {
                            System.out.println("    planted flaw not found: " + flaw);
                        }
                    }
                }
            }
        }
    }

    /** (c) Peak RSS of a fresh JVM that loads and plans one document, for the largest corpus documents. */
    private static void planningMemory() throws Exception {
        Path corpus = Path.of(System.getProperty("venti.corpus.dir", "../../shared/openapi-corpus"));
        if (!Files.isDirectory(corpus)) {
            corpus = Path.of("../shared/openapi-corpus");
        }
        List<String> documents = List.of("stripe-api-2023.yaml", "kubernetes-api.json", "openai-api.yaml");
        for (String name : documents) {
            Path document = corpus.resolve(name);
            if (!Files.isRegularFile(document)) {
                System.out.println("(c) " + name + " not found under " + corpus.toAbsolutePath());
                continue;
            }
            for (List<String> flags : List.of(List.<String>of(), CLI_FLAGS)) {
                List<String> command = new ArrayList<>(List.of(javaBinary()));
                command.addAll(flags);
                command.addAll(List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        EngineBenchmark.class.getName(),
                        "plan",
                        document.toString()));
                Process child =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                child.waitFor();
                System.out.println("(c) " + name
                        + (flags.isEmpty() ? " (JVM defaults)" : " (bin/venti-scan flags)") + ": "
                        + output.lines()
                                .filter(l -> l.startsWith("planned"))
                                .findFirst()
                                .orElse(output));
            }
        }
    }

    private static void planAndReportPeakRss(Path document) throws IOException {
        long start = System.nanoTime();
        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(document.toString()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .orElse("VmHWM: unknown")
                .replaceAll("\\s+", " ");
        System.out.println("planned " + plan.operations().size() + " operations, "
                + plan.dependencies().edges().size() + " dependency edges in " + millis + " ms; peak RSS "
                + hwm.substring(hwm.indexOf(':') + 2));
    }

    /** (d) From starting {@code java -jar venti-scan.jar} to the first request reaching a local server. */
    private static void cliStartToFirstRequest() throws Exception {
        Path jar = Path.of("target/venti-scan.jar");
        if (!Files.isRegularFile(jar)) {
            jar = Path.of("scan-engine/target/venti-scan.jar");
        }
        if (!Files.isRegularFile(jar)) {
            System.out.println("(d) target/venti-scan.jar not built (./mvnw -pl scan-engine package): skipped");
            return;
        }
        Path spec = Files.createTempFile("venti-bench", ".yaml");
        Files.writeString(spec, """
                openapi: 3.0.3
                info: {title: bench, version: '1'}
                paths:
                  /ping:
                    get:
                      responses:
                        '200': {description: ok}
                """);
        Path archive = Files.createTempDirectory("venti-bench-cds").resolve("venti-scan.jsa");
        for (int run = 0; run < 3; run++) {
            AtomicLong firstRequestNanos = new AtomicLong();
            CountDownLatch first = new CountDownLatch(1);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                firstRequestNanos.compareAndSet(0, System.nanoTime());
                first.countDown();
                try (exchange) {
                    exchange.sendResponseHeaders(404, -1);
                }
            });
            server.start();
            long start = System.nanoTime();
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(CLI_FLAGS);
            command.addAll(List.of(
                    "-XX:SharedArchiveFile=" + archive,
                    "-XX:+AutoCreateSharedArchive",
                    "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
            command.addAll(List.of(
                    "-jar",
                    jar.toString(),
                    "--spec",
                    spec.toString(),
                    "--target",
                    "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--budget",
                    "5"));
            Process cli = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            first.await(30, java.util.concurrent.TimeUnit.SECONDS);
            cli.waitFor();
            server.stop(0);
            System.out.printf(
                    "(d) CLI start to first request (run %d%s): %d ms%n",
                    run + 1,
                    run == 0 ? ", writes the class-data archive" : ", uses it",
                    (firstRequestNanos.get() - start) / 1_000_000);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
