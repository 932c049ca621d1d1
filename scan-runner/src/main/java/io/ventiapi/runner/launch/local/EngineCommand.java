package io.ventiapi.runner.launch.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start the scan engine as a child process. By default a child JVM on this process's
 * own classpath runs the engine's main class, so the local run needs nothing installed; from a
 * Spring Boot executable jar it goes through Boot's {@code PropertiesLauncher}.
 */
final class EngineCommand {

    static final String ENGINE_MAIN = "io.ventiapi.engine.cli.VentiScan";
    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private EngineCommand() {}

    /** The configured command, or the default one when none is configured. */
    static List<String> resolve(List<String> configured) {
        if (configured != null && !configured.isEmpty()) {
            return List.copyOf(configured);
        }
        var java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var classpath = System.getProperty("java.class.path");
        var command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1"));
        if (isBootJar(classpath)) {
            command.addAll(List.of("-cp", classpath, "-Dloader.main=" + ENGINE_MAIN, BOOT_LAUNCHER));
        } else {
            command.addAll(List.of("-cp", classpath, ENGINE_MAIN));
        }
        return command;
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
