package io.ventiapi.runner.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argument file is read by the real {@code java} launcher, as in the scanner pod. */
class EngineArgumentsTest {

    /** Prints each argument it gets on a line of its own, escaped so that a newline shows. */
    public static final class PrintArguments {
        public static void main(String[] arguments) {
            for (String argument : arguments) {
                System.out.println(argument.replace("\n", "\\n"));
            }
        }
    }

    @Test
    void credentialsWithSpacesQuotesCommasAndBackslashesReachTheProgramUnchanged(@TempDir Path directory)
            throws IOException, InterruptedException {
        List<String> identities = List.of(
                "type=basic,username=alice,password=p@ss word \"quoted\" \\back\\slash\\, #not-a-comment",
                "type=bearer,token=line\nbreak\ttab",
                "@looks-like-a-file");
        Path file = directory.resolve("engine.args");
        List<String> command = new java.util.ArrayList<>(
                List.of("-cp", System.getProperty("java.class.path"), PrintArguments.class.getName()));
        command.addAll(identities);
        Files.writeString(file, EngineArguments.javaArgumentFile(command), StandardCharsets.UTF_8);

        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + file)
                .redirectErrorStream(true)
                .start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output.lines())
                .containsExactly(identities.stream()
                        .map(identity -> identity.replace("\n", "\\n"))
                        .toArray(String[]::new));
    }
}
