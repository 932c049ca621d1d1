package io.ventiapi.engine.check;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.RequestSynthesizer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One anonymous operation served by a handler on 127.0.0.1, with its baseline and a context, for tests that run
 * one check's measurement and nothing else: every request the server sees after {@link #baseline} comes from the
 * code under test, in order. The baseline is the context's only one, as target-wide checks look for theirs there.
 */
public final class OneOperationTarget implements AutoCloseable {

    private final HttpServer server;
    private final TargetClient target;
    private final ScanContext context;
    private final Baseline baseline;
    private final List<Finding> findings = new CopyOnWriteArrayList<>();

    /** Serves {@code handler} on every path and sends the baseline of the document's first operation once. */
    public OneOperationTarget(Path workDir, String spec, HttpHandler handler) throws IOException {
        this(workDir, spec, null, handler);
    }

    /**
     * As {@link #OneOperationTarget(Path, String, HttpHandler)}, with the baseline of the operation with this
     * operationId (null: the first), for documents that need others beside it (a GET to read a PUT back).
     */
    public OneOperationTarget(Path workDir, String spec, String operationId, HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Path file = Files.createTempFile(workDir, "one-operation", ".yaml");
        Files.writeString(file, spec);
        ScanPlan plan = new OperationPlanner().plan(new SpecLoader().load(file.toString()));
        target = new TargetClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                new ExecutionLimits(1, 0, 200, Duration.ofMinutes(1), Duration.ofSeconds(10)));
        RequestSynthesizer synthesizer = new RequestSynthesizer(plan);
        var operation = operationId == null
                ? plan.operations().getFirst()
                : plan.operation(operationId).orElseThrow();
        var request = synthesizer.synthesize(operation, new HarvestedValues());
        Map<String, Baseline> baselines = new LinkedHashMap<>();
        context = new ScanContext(
                plan, ScanProfile.STANDARD, target, synthesizer, null, baselines, findings::add, r -> {});
        baseline = new Baseline(
                operation,
                request,
                new IdentitySession(new Identity.Anonymous("anonymous"), target),
                context.send(request, Credentials.none()));
        baselines.put(operation.id(), baseline);
    }

    public ScanContext context() {
        return context;
    }

    public Baseline baseline() {
        return baseline;
    }

    /** What the code under test reported through the context. */
    public List<Finding> findings() {
        return findings;
    }

    @Override
    public void close() {
        target.close();
        server.stop(0);
    }
}
