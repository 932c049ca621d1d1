package io.ventiapi.runner.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import io.ventiapi.runner.launch.WorkloadOutcome;
import io.ventiapi.tenancy.TenantId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local launcher against a stand-in engine: a real child process speaking the same protocol. */
class LocalProcessWorkloadsTest {

    @TempDir
    Path temp;

    /** A stand-in engine: prints its behaviour's lines, copies its argument file, then acts. */
    private LocalProcessWorkloads launcher(String behaviour) throws IOException {
        return launcher(behaviour, HostResolver.SYSTEM);
    }

    private LocalProcessWorkloads launcher(String behaviour, HostResolver resolver) throws IOException {
        var script = temp.resolve("engine.sh");
        Files.writeString(script, """
                #!/bin/sh
                args_file="${1#@}"
                cp "$args_file" "%s/seen-arguments"
                ls -l "$args_file" | cut -c1-10 > "%s/seen-mode"
                %s
                """.formatted(temp, temp, behaviour));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new LocalProcessWorkloads(
                new LocalLauncherProperties(List.of(script.toString()), temp.resolve("work"), Duration.ofSeconds(2)),
                new ScanEgressPlanner(resolver, true, false));
    }

    private static ScanJob job(Duration timeBox) {
        return job(timeBox, "http://127.0.0.1:9999/api");
    }

    private static ScanJob job(Duration timeBox, String target) {
        return new ScanJob(
                "scan-1",
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create(target),
                "SAFE",
                10,
                500,
                timeBox,
                "openapi: 3.0.3",
                List.of("type=bearer,token=s3cr3t-token"),
                null);
    }

    @Test
    void aTargetThatNowResolvesToCloudMetadataIsNotLaunched() throws Exception {
        var launcher = launcher(
                "echo started > \"%s/ran\"".formatted(temp),
                host -> List.of(java.net.InetAddress.ofLiteral("169.254.169.254")));

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1), "http://rebound.example.com/api"))) {
            scan.follow(line -> {});
            assertThat(scan.outcome())
                    .isInstanceOfSatisfying(
                            WorkloadOutcome.Failed.class,
                            failed -> assertThat(failed.reason())
                                    .startsWith("rebound.example.com: scanners do not connect to it")
                                    .doesNotContain("169.254"));
        }
        assertThat(temp.resolve("ran")).doesNotExist();
    }

    @Test
    void theEngineIsHeldToTheAddressesCheckedAtLaunch() throws Exception {
        var launcher = launcher(
                "echo '{\"v\":1,\"type\":\"scan.finished\"}'",
                host -> List.of(java.net.InetAddress.ofLiteral("127.0.0.1")));

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1), "http://shop.test:9999/api"))) {
            scan.follow(line -> {});
        }

        assertThat(Files.readString(temp.resolve("seen-arguments")))
                .contains("\"--resolve\"\n\"shop.test=127.0.0.1\"\n");
    }

    @Test
    void theEnginesLinesArriveInOrderAndItsArgumentsStayPrivate() throws Exception {
        var launcher = launcher("""
                echo '{"v":1,"type":"scan.started"}'
                echo '{"v":1,"type":"finding"}'
                echo '{"v":1,"type":"scan.finished"}'
                """);
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1)))) {
            scan.follow(lines::add);
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
        }

        assertThat(lines)
                .containsExactly(
                        "{\"v\":1,\"type\":\"scan.started\"}",
                        "{\"v\":1,\"type\":\"finding\"}",
                        "{\"v\":1,\"type\":\"scan.finished\"}");
        // A java argument file: one quoted argument per line.
        var arguments = Files.readAllLines(temp.resolve("seen-arguments")).stream()
                .map(line -> line.substring(1, line.length() - 1))
                .toList();
        assertThat(arguments)
                .containsSubsequence("--target", "http://127.0.0.1:9999/api")
                .containsSubsequence("--identity", "type=bearer,token=s3cr3t-token")
                .containsSubsequence("--scan-id", "scan-1")
                .containsSubsequence("--profile", "SAFE");
        assertThat(Files.readString(temp.resolve("seen-mode")).strip()).isEqualTo("-rw-------");
        try (var left = Files.list(temp.resolve("work"))) {
            assertThat(left).as("the scan's private folder is removed").isEmpty();
        }
    }

    @Test
    void credentialsNeverAppearOnTheProcessCommandLine() throws Exception {
        var launcher = launcher("sleep 30");
        var seen = new ArrayList<String>();

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1)))) {
            ProcessHandle.current()
                    .descendants()
                    .forEach(child -> child.info().commandLine().ifPresent(seen::add));
            scan.cancel();
        }

        assertThat(seen).isNotEmpty().noneMatch(commandLine -> commandLine.contains("s3cr3t"));
    }

    /** In the all-roles mode the runner's environment holds the job key, the database password, the master key. */
    @Test
    void theEngineInheritsNothingOfTheRunnersEnvironmentButWhatStartingItNeeds() throws Exception {
        assertThat(System.getenv("VENTI_TEST_RUNNER_SECRET"))
                .as("set for the runner by the build")
                .isEqualTo("not-for-the-engine");
        var launcher = launcher("env > \"%s/seen-environment\"".formatted(temp));

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1)))) {
            scan.follow(line -> {});
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Succeeded());
        }

        var seen = new java.util.HashMap<String, String>();
        for (var line : Files.readAllLines(temp.resolve("seen-environment"))) {
            var equals = line.indexOf('=');
            if (equals > 0) {
                seen.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertThat(seen).doesNotContainKey("VENTI_TEST_RUNNER_SECRET");
        assertThat(seen.values()).noneMatch(value -> value.contains("not-for-the-engine"));
        assertThat(seen).containsEntry("PATH", System.getenv("PATH"));
        // What it shares with the runner is only what it was given (its shell sets PWD itself).
        assertThat(seen.entrySet())
                .filteredOn(variable -> variable.getValue().equals(System.getenv(variable.getKey())))
                .extracting(java.util.Map.Entry::getKey)
                .isSubsetOf(LocalProcessWorkloads.INHERITED_ENVIRONMENT);
    }

    // --- the scans' folders, which hold their identities in clear

    /** The runner was killed: nothing removed its scans' folders. The next one to start does. */
    @Test
    void theExpiredScanFoldersOfAStoppedRunnerAreSweptAtStartupAndNothingElse() throws Exception {
        var work = Files.createDirectories(temp.resolve("work"));
        var now = java.time.Instant.now().getEpochSecond();
        var expired = Files.createDirectory(work.resolve("venti-scan-expires-" + (now - 60) + "-123"));
        Files.writeString(expired.resolve("arguments"), "\"--identity\"\n\"type=bearer,token=s3cr3t-token\"\n");
        var stillRunning = Files.createDirectory(work.resolve("venti-scan-expires-" + (now + 3600) + "-456"));
        var notOurs = List.of(
                Files.createDirectory(work.resolve("venti-scan-expires-soon")),
                Files.createDirectory(work.resolve("reports-" + (now - 60))));

        launcher("exit 0");

        assertThat(expired).doesNotExist();
        assertThat(stillRunning).isDirectory();
        assertThat(notOurs).allSatisfy(folder -> assertThat(folder).isDirectory());
    }

    @Test
    void aRunningScansFolderIsLeftToItByAnotherLauncherStartingOnTheSameParent() throws Exception {
        var first = launcher("sleep 30");
        try (var scan = first.startOrAttach(job(Duration.ofMinutes(5)))) {
            launcher("exit 0");

            try (var folders = Files.list(temp.resolve("work"))) {
                assertThat(folders)
                        .singleElement()
                        .satisfies(folder ->
                                assertThat(folder.getFileName().toString()).startsWith("venti-scan-expires-"));
            }
            scan.cancel();
        }
    }

    @Test
    void shuttingDownStopsTheEnginesAndRemovesTheirFolders() throws Exception {
        var launcher = launcher("echo '{\"v\":1,\"type\":\"scan.started\"}'; sleep 30");
        var scan = launcher.startOrAttach(job(Duration.ofMinutes(5)));

        launcher.close();
        scan.follow(line -> {}); // returns: the engine is gone

        assertThat(scan.outcome()).isNotEqualTo(new WorkloadOutcome.Succeeded());
        try (var folders = Files.list(temp.resolve("work"))) {
            assertThat(folders).isEmpty();
        }
    }

    @Test
    void anEngineExitingNonZeroFailsTheScanWithItsReason() throws Exception {
        var launcher = launcher("echo 'target http://127.0.0.1:9999 is unreachable' >&2; exit 4");

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(1)))) {
            scan.follow(line -> {});
            assertThat(scan.outcome())
                    .isInstanceOfSatisfying(
                            WorkloadOutcome.Failed.class,
                            failed -> assertThat(failed.reason()).contains("code 4", "unreachable"));
        }
    }

    @Test
    void anEngineThatOverrunsItsTimeBoxIsStoppedAsTimedOut() throws Exception {
        var launcher = launcher("echo '{\"v\":1,\"type\":\"scan.started\"}'; sleep 60");
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(job(Duration.ofSeconds(1)))) {
            scan.follow(lines::add);
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.TimedOut());
        }
        assertThat(lines).hasSize(1);
    }

    /** An output line without end would otherwise be buffered whole: the engine is stopped instead. */
    @Test
    void aLineLongerThanTheBoundFailsTheScanAfterTheLinesBeforeIt() throws Exception {
        var launcher = launcher("""
                echo '{"v":1,"type":"scan.started"}'
                head -c 3000000 /dev/zero | tr '\\0' x
                echo
                echo '{"v":1,"type":"scan.finished"}'
                """);
        var lines = new CopyOnWriteArrayList<String>();

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(5)))) {
            scan.follow(lines::add);
            assertThat(scan.outcome())
                    .isEqualTo(new WorkloadOutcome.Failed("the scanner printed a line longer than 1 MiB"));
        }
        assertThat(lines).containsExactly("{\"v\":1,\"type\":\"scan.started\"}");
    }

    @Test
    void cancellingStopsTheEngine() throws Exception {
        var launcher = launcher("echo '{\"v\":1,\"type\":\"scan.started\"}'; sleep 60");

        try (var scan = launcher.startOrAttach(job(Duration.ofMinutes(5)))) {
            scan.follow(line -> scan.cancel());
            assertThat(scan.outcome()).isEqualTo(new WorkloadOutcome.Cancelled());
        }
    }

    /** Another runner took the scan over and runs it: no other runner can attach to this child. */
    @Test
    void handingOverAScanStopsItsEngineSoItDoesNotRunTwice() throws Exception {
        var launcher = launcher("echo '{\"v\":1,\"type\":\"scan.started\"}'; sleep 60");
        var left = launcher.startOrAttach(job(Duration.ofMinutes(5)));

        left.handOver();
        left.follow(line -> {});

        assertThat(left.outcome()).isNotEqualTo(new WorkloadOutcome.Succeeded());
        try (var folders = Files.list(temp.resolve("work"))) {
            assertThat(folders).isEmpty();
        }
    }

    @Test
    void stopIfRunningStopsAnEngineLeftBehindInThisProcessAndStartsNone() throws Exception {
        var launcher = launcher("echo '{\"v\":1,\"type\":\"scan.started\"}'; sleep 60");
        var left = launcher.startOrAttach(job(Duration.ofMinutes(5)));

        launcher.stopIfRunning(TenantId.of("acme"), "scan-1");
        left.follow(line -> {});

        assertThat(left.outcome()).isEqualTo(new WorkloadOutcome.Cancelled());
        launcher.stopIfRunning(TenantId.of("acme"), "scan-1"); // nothing left: starts nothing
        assertThat(Files.list(temp.resolve("work"))).isEmpty();
    }

    @Test
    void containerScannersAreRefusedLocally() throws Exception {
        var launcher = launcher("exit 0");
        var zap = new ScanJob(
                "scan-2",
                TenantId.of("acme"),
                ScannerKind.ZAP,
                null,
                URI.create("http://127.0.0.1:9999"),
                "SAFE",
                1,
                1,
                Duration.ofMinutes(1),
                "{}",
                List.of(),
                null);

        try (var scan = launcher.startOrAttach(zap)) {
            scan.follow(line -> {});
            assertThat(scan.outcome())
                    .isInstanceOfSatisfying(
                            WorkloadOutcome.Failed.class,
                            failed -> assertThat(failed.reason()).contains("Kubernetes"));
        }
    }
}
