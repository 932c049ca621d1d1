package io.ventiapi.runner.launch.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code venti.runner.local.*}.
 *
 * @param command the engine command line; empty runs the bundled engine in a child JVM. A
 *     configured command gets {@code @file} as its last argument: a java launcher argument file,
 *     one quoted argument per line
 * @param workDirectory where each scan gets a private folder (spec, arguments), removed after it, or
 *     when the runner shuts down; a runner starting up removes those a runner that died left, once
 *     their scans' time boxes have passed
 * @param stopGrace how long a stopped engine may take to exit before it is killed
 */
@ConfigurationProperties("venti.runner.local")
public record LocalLauncherProperties(
        List<String> command,
        Path workDirectory,
        @DefaultValue("5s") Duration stopGrace) {

    public LocalLauncherProperties {
        command = command == null ? List.of() : List.copyOf(command);
        workDirectory = workDirectory == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDirectory;
    }
}
