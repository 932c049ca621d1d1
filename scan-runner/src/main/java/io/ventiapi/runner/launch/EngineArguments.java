package io.ventiapi.runner.launch;

import io.ventiapi.protocol.ScanJob;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The engine's command line for a job, and the java launcher argument file ({@code java @file})
 * that carries it: both launchers hand the engine its arguments, credentials included, through
 * such a file, so they never appear in a process list or a pod spec.
 */
public final class EngineArguments {

    private EngineArguments() {}

    /**
     * The {@code venti-scan} options that run {@code job}, reading the spec from {@code specFile}
     * and connecting to each name of {@code pins} only at its addresses ({@link
     * ScanEgressPlanner#pins}).
     */
    public static List<String> of(ScanJob job, String specFile, Map<String, List<InetAddress>> pins) {
        var arguments = new ArrayList<>(List.of(
                "--spec",
                specFile,
                "--target",
                job.target().toString(),
                "--scan-id",
                job.scanId(),
                "--time-box",
                job.timeBox().toString(),
                "--rps",
                Integer.toString(job.requestsPerSecond())));
        if (job.profile() != null) {
            arguments.addAll(List.of("--profile", job.profile()));
        }
        if (job.requestBudget() > 0) {
            arguments.addAll(List.of("--budget", Integer.toString(job.requestBudget())));
        }
        for (var identity : job.identities()) {
            arguments.addAll(List.of("--identity", identity));
        }
        pins.forEach((host, addresses) -> arguments.addAll(List.of(
                "--resolve",
                host + "="
                        + addresses.stream()
                                .map(address -> address.getHostAddress().replaceFirst("%.*", ""))
                                .collect(Collectors.joining(",")))));
        return arguments;
    }

    /**
     * A java launcher argument file: one argument per line, each quoted, so spaces, quotes,
     * {@code #} and a leading {@code @} survive as they are.
     */
    public static String javaArgumentFile(List<String> arguments) {
        var file = new StringBuilder();
        for (var argument : arguments) {
            file.append('"');
            for (int i = 0; i < argument.length(); i++) {
                char c = argument.charAt(i);
                switch (c) {
                    case '\\' -> file.append("\\\\");
                    case '"' -> file.append("\\\"");
                    case '\n' -> file.append("\\n");
                    case '\r' -> file.append("\\r");
                    case '\t' -> file.append("\\t");
                    default -> file.append(c);
                }
            }
            file.append("\"\n");
        }
        return file.toString();
    }
}
