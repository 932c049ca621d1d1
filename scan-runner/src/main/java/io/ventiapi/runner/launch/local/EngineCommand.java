package io.ventiapi.runner.launch.local;

import io.ventiapi.runner.launch.EngineArguments;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How to start the scan engine as a child process: {@code prefix @file}, where the file is a
 * java launcher argument file holding {@code head} and then the engine's options. By default a
 * child JVM on this process's own classpath runs the engine's main class (from a Spring Boot
 * executable jar, through Boot's {@code PropertiesLauncher}), so the local run needs nothing
 * installed. A configured command gets the same {@code @file} as its last argument.
 *
 * @param prefix what starts the process
 * @param head what goes into the argument file before the engine's options (the JVM's class
 *     path and main class; empty for a configured command)
 */
record EngineCommand(List<String> prefix, List<String> head) {

    static final String ENGINE_MAIN = "io.ventiapi.engine.cli.VentiScan";
    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /** The configured command, or the bundled engine in a child JVM when none is configured. */
    static EngineCommand resolve(List<String> configured) {
        if (configured != null && !configured.isEmpty()) {
            return new EngineCommand(List.copyOf(configured), List.of());
        }
        var java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Absolute: the child runs in its scan's private folder, not where this JVM was started.
        var classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        // A short-lived process: small stacks, C1 only, the serial collector.
        var prefix = List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1");
        var head = isBootJar(classpath)
                ? List.of("-cp", classpath, "-Dloader.main=" + ENGINE_MAIN, BOOT_LAUNCHER)
                : List.of("-cp", classpath, ENGINE_MAIN);
        return new EngineCommand(prefix, head);
    }

    /** The process command line: nothing secret, only the argument file's path. */
    List<String> commandLine(Path argumentFile) {
        var command = new ArrayList<>(prefix);
        command.add("@" + argumentFile);
        return command;
    }

    /** The argument file's content for these engine options. */
    String argumentFile(List<String> engineOptions) {
        var arguments = new ArrayList<>(head);
        arguments.addAll(engineOptions);
        return EngineArguments.javaArgumentFile(arguments);
    }

    private static boolean isBootJar(String classpath) {
        if (classpath == null || classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar")) {
            return false;
        }
        try (var jar = new java.util.jar.JarFile(classpath)) {
            return jar.getEntry("BOOT-INF/") != null;
        } catch (java.io.IOException e) {
            return Files.isDirectory(Path.of(classpath, "BOOT-INF"));
        }
    }
}
