package io.ventiapi.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.ScanEngine;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanOptions;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.ScanRequest;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.spec.SpecLoader;
import io.ventiapi.engine.testapi.TestApiScan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom rule whose rendered path or header is unusual costs the scan nothing: a space in a path or in a value
 * put into it is percent-encoded, a header HTTP cannot carry skips that rule with a note, and the scan finishes
 * with every other check's findings and its clean-up.
 */
class UnusualRuleRequestsTest {

    private static String rule(String id, String scopeAndSelection, String request) {
        return """
                id: %s
                info:
                  title: An unusual request
                  severity: LOW
                  category: API8
                  cwe: 200
                  remediation: none
                %s
                steps:
                %s
                """.formatted(id, scopeAndSelection, request.indent(2));
    }

    private static final String RULES = String.join(
            "---\n",
            rule("custom.space-in-path", "scope: target", """
                    - request:
                        path: '/api/files/venti report.txt?q=a b'
                      match:
                        - status: [299]
                    """),
            rule("custom.space-in-value", "scope: target", """
                    - request:
                        path: /api/products
                      extract:
                        when: {header: Date}
                    - request:
                        path: '/api/files/{{when}}.txt'
                      match:
                        - status: [299]
                    """),
            rule("custom.line-break-in-header", "select: {methods: [GET], paths: ['/api/products']}", """
                    - request:
                        headers:
                          X-Note: "two\\nlines"
                      match:
                        - status: [299]
                    """));

    @Test
    void encodesWhatAUrlCannotHoldAndKeepsWhatItCan() {
        assertThat(DeclarativeCheck.asUrlText("/a b?q=a b")).isEqualTo("/a%20b?q=a%20b");
        assertThat(DeclarativeCheck.asUrlText("/x/%41%zz%4#top")).isEqualTo("/x/%41%25zz%254%23top");
        assertThat(DeclarativeCheck.asUrlText("/caf\u00e9/\"{}|")).isEqualTo("/caf%C3%A9/%22%7B%7D%7C");
        assertThat(DeclarativeCheck.asUrlText("/api/items?page=2&size=10;x=@a:b"))
                .isEqualTo("/api/items?page=2&size=10;x=@a:b");
    }

    @Test
    void aRuleWithASpaceInItsPathOrALineBreakInAHeaderCostsTheScanNothing(@TempDir Path dir) throws Exception {
        List<DeclarativeRule> rules = RuleLoader.parse("unusual.yaml", RULES);
        List<ScanEvent> events = new CopyOnWriteArrayList<>();
        ScanResult result;
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            var plan = new OperationPlanner()
                    .plan(new SpecLoader().load(api.writeSpec(dir).toString()));
            List<Check> checks = new ArrayList<>(BuiltInChecks.all());
            checks.add(new DeclarativeCheck(rules));
            ScanRequest request = new ScanRequest(
                    "unusual-rules",
                    plan,
                    api.baseUri(),
                    List.of(TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN),
                    ScanProfile.SAFE,
                    new ExecutionLimits(8, 0, 20_000, Duration.ofMinutes(3), Duration.ofSeconds(10)),
                    null,
                    false,
                    ScanOptions.defaults().withIdentityRoles(TestApiScan.ROLES));
            result = new ScanEngine(checks).run(request, events::add);

            assertThat(api.received())
                    .as("requests of the rules with a space in their path")
                    .anySatisfy(r -> assertThat(r.path()).isEqualTo("/api/files/venti report.txt"))
                    .anySatisfy(
                            r -> assertThat(r.path()).startsWith("/api/files/").endsWith(" GMT.txt"));
            assertThat(api.createdResourceIds()).as("objects the scan created").isNotEmpty();
            assertThat(api.existingAddresses())
                    .as("created addresses are cleaned up")
                    .isEmpty();
            assertThat(outOfScope.hits()).isZero();
        }

        assertThat(events.getLast())
                .isInstanceOfSatisfying(
                        ScanEvent.ScanFinished.class,
                        finished -> assertThat(finished.outcome()).isEqualTo(ScanEvent.ScanOutcome.COMPLETED));
        assertThat(result.findings())
                .as("findings of the other checks")
                .anySatisfy(f -> assertThat(f.ruleId()).startsWith("injection."))
                .anySatisfy(f -> assertThat(f.ruleId()).startsWith("access."));
        assertThat(result.notes())
                .as("what the scan says of the rule it skipped")
                .anySatisfy(note -> assertThat(note)
                        .contains("custom.line-break-in-header")
                        .contains("GET /api/products")
                        .contains("X-Note"))
                .noneSatisfy(note -> assertThat(note).contains("custom.space-in"));
    }
}
