package io.ventiapi.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEngine;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.ScanRequest;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.testapi.TestApiScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules as a user writes them: the documented example finds its flaw; broken files are refused with file and line. */
class CustomRulesTest {

    @TempDir
    Path dir;

    /** The example rule of docs/engine/rules.md, exactly as printed there. */
    private static String documentedExample() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "engine", "rules.md"));
        String after = page.substring(page.indexOf("<!-- tested-example -->"));
        int start = after.indexOf("```yaml\n") + "```yaml\n".length();
        return after.substring(start, after.indexOf("```", start));
    }

    private List<Finding> scanWith(List<DeclarativeRule> rules, VulnerableApi.Mode mode) throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(mode, outOfScope.port())) {
            var plan = new OperationPlanner()
                    .plan(new SpecLoader().load(api.writeSpec(dir).toString()));
            ScanRequest request = new ScanRequest(
                    "rules",
                    plan,
                    api.baseUri(),
                    List.of(TestApiScan.ALICE),
                    ScanProfile.STANDARD,
                    new ExecutionLimits(4, 0, 2_000, Duration.ofMinutes(1), Duration.ofSeconds(10)),
                    null);
            ScanResult result = new ScanEngine(List.of(new DeclarativeCheck(rules))).run(request, e -> {});
            assertThat(outOfScope.hits()).isZero();
            return result.findings();
        }
    }

    @Test
    void theDocumentedExampleFindsWhatItDescribesAndNothingOnTheHardenedApi() throws Exception {
        List<DeclarativeRule> rules = RuleLoader.parse("rules.md", documentedExample());

        List<Finding> vulnerable = scanWith(rules, VulnerableApi.Mode.VULNERABLE);
        assertThat(vulnerable).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("custom.admin-list-open-to-users");
            assertThat(f.method() + " " + f.pathTemplate()).isEqualTo("POST /api/login");
            assertThat(f.evidence().exchanges()).hasSize(2);
            assertThat(f.evidence().exchanges().get(1).request()).startsWith("GET /api/admin/users");
            assertThat(f.evidence().exchanges().get(1).request()).doesNotContain("wonderland");
        });
        assertThat(scanWith(rules, VulnerableApi.Mode.HARDENED)).isEmpty();
    }

    @Test
    void theBundledRulesReplaceTheirJavaChecks() {
        assertThat(RuleLoader.bundled())
                .extracting(DeclarativeRule::id)
                .containsExactly(
                        "misconfig.trace-enabled", "misconfig.version-disclosure", "misconfig.missing-nosniff");
    }

    @Test
    void refusesBrokenRulesNamingFileLineAndProblem() {
        String valid = """
                id: custom.x
                info:
                  title: X
                  severity: LOW
                  category: API8
                  cwe: 200
                  remediation: fix it
                steps:
                  - match:
                      - status: 200
                """;
        assertThat(RuleLoader.parse("ok.yaml", valid))
                .singleElement()
                .extracting(DeclarativeRule::id)
                .isEqualTo("custom.x");

        assertThatThrownBy(() -> RuleLoader.parse("typo.yaml", valid.replace("  - match:", "  - mach:")))
                .isInstanceOf(RuleFileException.class)
                .hasMessage("typo.yaml:9: unknown key 'mach' in a step (expected one of [extract, match, request])");
        assertThatThrownBy(() -> RuleLoader.parse("sev.yaml", valid.replace("LOW", "SEVERE")))
                .hasMessageStartingWith("sev.yaml:4: unknown severity 'SEVERE'");
        assertThatThrownBy(
                        () -> RuleLoader.parse("regex.yaml", valid.replace("- status: 200", "- body: {regex: '(['}")))
                .hasMessageStartingWith("regex.yaml:10: invalid regular expression '(['");
        assertThatThrownBy(() -> RuleLoader.parse("noid.yaml", valid.replace("id: custom.x\n", "")))
                .hasMessage("noid.yaml:1: missing required key 'id'");
        assertThatThrownBy(() -> RuleLoader.parse("yaml.yaml", "id: [unclosed\n"))
                .hasMessageStartingWith("yaml.yaml:2: not valid YAML");
        assertThatThrownBy(() -> RuleLoader.parse("target.yaml", valid.replace("steps:", "scope: target\nsteps:")))
                .hasMessageStartingWith("target.yaml:10: a step of a target rule needs a 'request'");
    }
}
