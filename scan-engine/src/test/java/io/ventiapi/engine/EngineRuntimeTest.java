package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The engine's JVM settings, observed in a fresh JVM (this one started its virtual threads long ago). */
class EngineRuntimeTest {

    @Test
    void virtualThreadsRunOnOneCarrierThread() throws Exception {
        assertThat(probe()).isEqualTo("carriers=1 parallelism=1");
    }

    @Test
    void aCarrierCountChosenOnTheCommandLineIsKept() throws Exception {
        assertThat(probe("-D" + EngineRuntime.CARRIER_THREADS + "=2")).endsWith("parallelism=2");
    }

    private static String probe(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CarrierProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    /** Configures the runtime as venti-scan does, then counts the carriers that ran its virtual threads. */
    static final class CarrierProbe {

        public static void main(String[] args) {
            EngineRuntime.configure();
            Set<String> carriers = ConcurrentHashMap.newKeySet();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 200; i++) {
                    threads.submit(() -> {
                        for (int step = 0; step < 20; step++) {
                            // "VirtualThread[#21]/runnable@ForkJoinPool-1-worker-1": the part after '@'
                            String self = Thread.currentThread().toString();
                            carriers.add(self.substring(self.indexOf('@') + 1));
                            Thread.yield();
                        }
                    });
                }
            }
            System.out.println("carriers=" + carriers.size() + " parallelism="
                    + System.getProperty(EngineRuntime.CARRIER_THREADS));
        }
    }
}
