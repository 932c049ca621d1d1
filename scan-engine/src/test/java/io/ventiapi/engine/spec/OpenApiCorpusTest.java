package io.ventiapi.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every document of the shared corpus of real third-party API descriptions either plans with the number of
 * operations its manifest lists, or is refused with a reason. Parse and plan only: nothing here sends a
 * request to the servers those documents describe.
 */
class OpenApiCorpusTest {

    /** A manifest row: file or folder, its entry document, and the operation count measured independently. */
    record CorpusDocument(String name, Path entry, int operations) {}

    private static final Pattern ROW = Pattern.compile(
            "^\\| `([^`]+)`(?: \\(\\d+ files; entry `([^`]+)`\\))? \\| ([0-9.]+) \\| \\w+ \\| [^|]+ \\| (\\d+) \\|");

    static Path corpusDir() {
        String configured = System.getProperty("venti.corpus.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of("..", "..", "shared", "openapi-corpus").toAbsolutePath().normalize();
    }

    static List<CorpusDocument> corpus() throws IOException {
        Path dir = corpusDir();
        List<CorpusDocument> documents = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("MANIFEST.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                Path entry = m.group(2) == null
                        ? dir.resolve(m.group(1))
                        : dir.resolve(m.group(1)).resolve(m.group(2));
                documents.add(new CorpusDocument(m.group(1), entry, Integer.parseInt(m.group(4))));
            }
        }
        return documents;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusDocumentPlansOrIsRefusedWithAReason() throws IOException {
        assumeTrue(Files.isDirectory(corpusDir()), "the shared OpenAPI corpus is not beside the repository");
        List<CorpusDocument> documents = corpus();
        assertThat(documents).as("manifest rows").hasSizeGreaterThanOrEqualTo(38);
        return documents.stream()
                .map(doc -> DynamicTest.dynamicTest(doc.name(), () -> {
                    Throwable refusal = catchThrowable(() -> {
                        ScanPlan plan = new OperationPlanner()
                                .plan(new SpecLoader().load(doc.entry().toString()));
                        assertThat(plan.operations())
                                .as("operations of " + doc.name())
                                .hasSize(doc.operations());
                    });
                    if (refusal != null) {
                        assertThat(refusal)
                                .as("%s was neither planned nor refused cleanly", doc.name())
                                .isInstanceOf(SpecRefusedException.class);
                        assertThat(refusal.getMessage())
                                .contains(doc.entry().getFileName().toString())
                                .contains("refused");
                        System.out.println("refused " + doc.name() + ": " + refusal.getMessage());
                    }
                }));
    }
}
