package io.ventiapi.engine.cli;

import io.ventiapi.engine.EngineRuntime;
import io.ventiapi.engine.ScanEngine;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.ScanRequest;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.http.PinnedNames;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.report.HtmlReport;
import io.ventiapi.engine.report.JUnitReport;
import io.ventiapi.engine.report.JsonReport;
import io.ventiapi.engine.report.SarifReport;
import io.ventiapi.engine.rules.DeclarativeCheck;
import io.ventiapi.engine.rules.DeclarativeRule;
import io.ventiapi.engine.rules.RuleFileException;
import io.ventiapi.engine.rules.RuleLoader;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.spec.SpecRefusedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code venti-scan} command. Prints events as NDJSON on stdout and writes the requested reports. */
public final class VentiScan {

    static final int OK = 0;
    static final int FINDINGS_AT_OR_ABOVE_THRESHOLD = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int SPEC_REFUSED = 3;
    static final int SCAN_FAILED = 4;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    VentiScan(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        EngineRuntime.configure();
        // swagger-parser logs through SLF4J; without a binding it would print a warning to stderr on every run.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintStream out = new PrintStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        int code = new VentiScan(out, System.err, terminal).run(args);
        out.flush();
        System.exit(code);
    }

    /** Runs the command and returns its exit code; never throws for user errors. */
    int run(String[] args) {
        CliArguments arguments;
        try {
            arguments = CliArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("venti-scan: " + e.getMessage());
            err.println("Try 'venti-scan --help'.");
            return BAD_ARGUMENTS;
        }
        // Before anything else, above all before anything looks a name up: the JDK caches what it resolves, so a
        // name resolved before pinning would keep its unpinned answer. Parsing resolves nothing.
        if (!arguments.pins().isEmpty()) {
            try {
                PinnedNames.pin(arguments.pins());
            } catch (IllegalStateException e) {
                err.println("venti-scan: cannot pin the --resolve names: " + e.getMessage());
                return SCAN_FAILED;
            }
        }
        if (arguments.help()) {
            out.print(CliArguments.USAGE);
            return OK;
        }
        List<DeclarativeRule> custom = new ArrayList<>();
        try {
            for (Path rules : arguments.rules()) {
                custom.addAll(RuleLoader.load(rules));
            }
        } catch (RuleFileException e) {
            err.println("venti-scan: invalid rule " + e.getMessage());
            return BAD_ARGUMENTS;
        }
        List<Check> checks = new ArrayList<>(BuiltInChecks.all());
        if (!custom.isEmpty()) {
            checks.add(new DeclarativeCheck(custom));
        }
        ScanPlan plan;
        try {
            plan = new OperationPlanner().plan(new SpecLoader().load(arguments.spec()));
        } catch (SpecRefusedException e) {
            err.println("venti-scan: " + e.getMessage());
            return SPEC_REFUSED;
        }
        ScanEventCodec codec = new ScanEventCodec();
        ScanRequest request = new ScanRequest(
                arguments.scanId(),
                plan,
                arguments.target(),
                arguments.identities(),
                arguments.profile(),
                arguments.limits(),
                arguments.expiredToken(),
                arguments.insecure(),
                arguments.options());
        ScanResult result = new ScanEngine(checks).run(request, event -> {
            out.println(codec.toLine(event));
            out.flush();
            if (terminal) {
                progressLine(event);
            }
        });
        if (terminal) {
            err.println();
        }
        try {
            writeReports(arguments, result, checks);
        } catch (IOException e) {
            err.println("venti-scan: cannot write a report: " + e.getMessage());
            return SCAN_FAILED;
        }
        result.notes().forEach(note -> err.println("venti-scan: note: " + note));
        if (result.outcome() == ScanEvent.ScanOutcome.FAILED) {
            err.println("venti-scan: the scan failed: " + result.reason());
            return SCAN_FAILED;
        }
        if (!result.reason().isEmpty()) {
            err.println("venti-scan: stopped early: " + result.reason());
        }
        return arguments.failOn() != null && result.hasFindingAtLeast(arguments.failOn())
                ? FINDINGS_AT_OR_ABOVE_THRESHOLD
                : OK;
    }

    private void writeReports(CliArguments arguments, ScanResult result, List<Check> checks) throws IOException {
        List<Rule> rules =
                checks.stream().flatMap(check -> check.rules().stream()).toList();
        if (arguments.json() != null) {
            JsonReport.write(result, arguments.json());
        }
        if (arguments.sarif() != null) {
            SarifReport.write(result, rules, arguments.spec(), arguments.sarif());
        }
        if (arguments.html() != null) {
            HtmlReport.write(result, arguments.html());
        }
        if (arguments.junit() != null) {
            JUnitReport.write(result, rules, arguments.junit());
        }
    }

    private void progressLine(ScanEvent event) {
        String line = switch (event) {
            case ScanEvent.ScanStarted s ->
                "scanning " + s.target() + " (" + s.operations() + " operations, " + s.profile() + ")";
            case ScanEvent.Progress p ->
                p.phase() + ": " + p.operationsDone() + "/" + p.operationsTotal() + " operations, " + p.requestsSent()
                        + " requests, " + p.findings() + " findings";
            case ScanEvent.FindingReported f ->
                "found " + f.finding().severity() + " " + f.finding().ruleId() + " at "
                        + f.finding().method() + " " + f.finding().pathTemplate();
            case ScanEvent.ScanFinished f ->
                "finished " + f.outcome() + ": " + f.requestsSent() + " requests in " + f.durationMillis() + " ms";
        };
        err.print("\r\u001b[2K" + (line.length() > 120 ? line.substring(0, 119) + "…" : line));
        err.flush();
    }
}
