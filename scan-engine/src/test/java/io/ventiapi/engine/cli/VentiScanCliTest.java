package io.ventiapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.demotarget.OutOfScopeServer;
import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanEventCodec;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.http.PinnedNamesReset;
import io.ventiapi.engine.testapi.GroundTruth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command as a CI job uses it: exit codes, NDJSON on stdout, and the four report formats. */
class VentiScanCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SARIF_LEVELS = Set.of("none", "note", "warning", "error");
    private static final String ALICE =
            "name=alice,role=user,type=login,path=/api/login,username=alice,password=wonderland,token-pointer=/token";
    private static final String BOB =
            "name=bob,role=user,type=login,path=/api/login,username=bob,password=builder,token-pointer=/token";
    private static final String ADMIN =
            "name=admin,role=admin,type=login,path=/api/login,username=admin,password=admin-s3cret,token-pointer=/token";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new VentiScan(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false)
                .run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsHelp() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("Usage: venti-scan --spec", "--fail-on", "Exit codes");
    }

    @Test
    void rejectsBadArgumentsWithoutAStackTrace() {
        assertThat(run("--spec", "x.yaml", "--target", "ftp://host")).isEqualTo(VentiScan.BAD_ARGUMENTS);
        assertThat(stderr())
                .contains("--target must be an absolute http:// or https:// URL")
                .doesNotContain("Exception");
        err.reset();
        assertThat(run("--target", "http://127.0.0.1:1")).isEqualTo(VentiScan.BAD_ARGUMENTS);
        assertThat(stderr()).contains("--spec is required");
        err.reset();
        assertThat(run("--spec", "x", "--target", "http://127.0.0.1:1", "--identity", "type=bearer"))
                .isEqualTo(VentiScan.BAD_ARGUMENTS);
        assertThat(stderr()).contains("a bearer identity needs token=");
    }

    @Test
    void refusesABrokenRuleFileNamingFileAndLine() throws Exception {
        Path rule = dir.resolve("broken.yaml");
        Files.writeString(rule, """
                id: custom.broken
                info:
                  title: Broken
                  severity: LOW
                  category: API8
                  cwe: 200
                  remediation: none
                steps:
                  - match:
                      - status: 200
                        colour: red
                """);
        assertThat(run("--spec", "x.yaml", "--target", "http://127.0.0.1:1", "--rules", rule.toString()))
                .isEqualTo(VentiScan.BAD_ARGUMENTS);
        assertThat(stderr())
                .contains(rule + ":11: unknown key 'colour' in a condition")
                .doesNotContain("\tat ");
    }

    @Test
    void explainsAnUnreadableSpecAndAnUnreachableTarget() throws Exception {
        assertThat(run("--spec", dir.resolve("missing.yaml").toString(), "--target", "http://127.0.0.1:1"))
                .isEqualTo(VentiScan.SPEC_REFUSED);
        assertThat(stderr()).contains("cannot read the API description", "no such file");

        err.reset();
        Path spec = dir.resolve("spec.yaml");
        try (OutOfScopeServer closed = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, closed.port())) {
            api.writeSpec(dir);
            Files.move(dir.resolve("venti-test-shop.yaml"), spec);
        }
        int port;
        try (OutOfScopeServer gone = new OutOfScopeServer()) {
            port = gone.port();
        }
        assertThat(run("--spec", spec.toString(), "--target", "http://127.0.0.1:" + port))
                .isEqualTo(VentiScan.SCAN_FAILED);
        assertThat(stderr()).contains("the scan failed", "connection refused").doesNotContain("\tat ");
    }

    @Test
    void explainsARejectedLogin() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            int code = run(
                    "--spec", api.writeSpec(dir).toString(),
                    "--target", api.baseUri().toString(),
                    "--identity", "type=login,path=/api/login,username=alice,password=wrong");

            assertThat(code).isEqualTo(VentiScan.SCAN_FAILED);
            assertThat(stderr())
                    .contains("login at /api/login answered HTTP 401")
                    .doesNotContain("wrong");
            assertThat(stdout().lines().toList().getLast())
                    .contains("\"type\":\"scan.finished\"", "\"outcome\":\"FAILED\"");
        }
    }

    @Test
    void reportsAccessControlAndStatefulFlawsWithTwoUsersAndNothingOnTheHardenedApi() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            int code = run(
                    "--spec",
                    api.writeSpec(dir).toString(),
                    "--target",
                    api.baseUri().toString(),
                    "--identity",
                    ALICE,
                    "--identity",
                    BOB,
                    "--rps",
                    "0",
                    "--fail-on",
                    "HIGH");

            assertThat(code).as(stderr()).isEqualTo(VentiScan.FINDINGS_AT_OR_ABOVE_THRESHOLD);
            List<io.ventiapi.engine.Finding> findings = stdout().lines()
                    .map(new ScanEventCodec()::parse)
                    .filter(e -> e instanceof ScanEvent.FindingReported)
                    .map(e -> ((ScanEvent.FindingReported) e).finding())
                    .toList();
            assertThat(findings)
                    .extracting(f -> f.ruleId() + " " + f.method() + " " + f.pathTemplate())
                    .contains(
                            "access.bola GET /api/addresses/{addressId}",
                            "access.bola DELETE /api/addresses/{addressId}",
                            "access.bfla GET /api/admin/users",
                            "property.mass-assignment POST /api/register",
                            "auth.user-enumeration POST /api/password-reset",
                            "resource.redos GET /api/validate/email",
                            "ssrf.canary-fetched GET /api/link-preview");
            assertThat(findings)
                    .extracting(io.ventiapi.engine.Finding::ruleId)
                    .contains("auth.jwt-weak-secret", "resource.no-rate-limit");
            for (io.ventiapi.engine.Finding finding : findings) {
                // Replayable: the decisive request is shown with its method and path, the answer with its status.
                Evidence.Exchange decisive = finding.evidence().exchanges().getFirst();
                assertThat(decisive.request()).as(finding.ruleId()).matches("(?s)[A-Z]+ /.*");
                assertThat(decisive.response()).as(finding.ruleId()).startsWith("HTTP ");
                assertThat(finding.evidence().explanation())
                        .as(finding.ruleId())
                        .isNotBlank();
            }
            assertThat(outOfScope.hits()).isZero();
        }
        out.reset();
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            int code = run(
                    "--spec",
                    api.writeSpec(dir).toString(),
                    "--target",
                    api.baseUri().toString(),
                    "--identity",
                    ALICE,
                    "--identity",
                    BOB,
                    "--rps",
                    "0",
                    "--fail-on",
                    "INFO");

            assertThat(code).as(stdout()).isEqualTo(VentiScan.OK);
            assertThat(stdout()).doesNotContain("\"type\":\"finding\"");
            assertThat(outOfScope.hits()).isZero();
        }
    }

    @Test
    void scansTheVulnerableApiWritesEveryReportAndFailsOnHighFindings() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.VULNERABLE, outOfScope.port())) {
            Path spec = api.writeSpec(dir);
            int code = run(
                    "--spec", spec.toString(),
                    "--target", api.baseUri().toString(),
                    "--identity", ALICE,
                    "--identity", BOB,
                    "--identity", ADMIN,
                    "--expired-token", api.expiredToken(),
                    "--rps", "0",
                    "--sarif", dir.resolve("out.sarif").toString(),
                    "--html", dir.resolve("out.html").toString(),
                    "--junit", dir.resolve("out.xml").toString(),
                    "--json", dir.resolve("out.json").toString(),
                    "--fail-on", "HIGH");

            assertThat(code).as(stderr()).isEqualTo(VentiScan.FINDINGS_AT_OR_ABOVE_THRESHOLD);
            List<ScanEvent> events =
                    stdout().lines().map(new ScanEventCodec()::parse).toList();
            assertThat(events.getFirst()).isInstanceOf(ScanEvent.ScanStarted.class);
            assertThat(events.getLast()).isInstanceOf(ScanEvent.ScanFinished.class);
            assertThat(events).extracting(ScanEvent::seq).isSorted().doesNotHaveDuplicates();
            long findings = events.stream()
                    .filter(e -> e instanceof ScanEvent.FindingReported)
                    .count();
            assertThat(findings)
                    .as("one finding per planted flaw")
                    .isEqualTo(GroundTruth.load().flaws().size());

            assertValidSarif(JSON.readTree(dir.resolve("out.sarif").toFile()), findings);
            Document junit = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(dir.resolve("out.xml").toFile());
            assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo((int) findings);
            String html = Files.readString(dir.resolve("out.html"));
            assertThat(html)
                    .contains("SQL injection (error-based)", "/api/products")
                    .doesNotContain("<script", "<link", "src=");
            assertThat(html).doesNotContain("$2b$12$R9h/cIPz0gi"); // the leaked hash is redacted in evidence
            JsonNode json = JSON.readTree(dir.resolve("out.json").toFile());
            assertThat(json.path("v").asInt()).isEqualTo(1);
            assertThat(json.path("scan").path("findings").size()).isEqualTo((int) findings);
            assertThat(outOfScope.hits()).isZero();
        }
    }

    @Test
    void passesOnTheHardenedApi() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            Path spec = api.writeSpec(dir);
            int code = run(
                    "--spec",
                    spec.toString(),
                    "--target",
                    api.baseUri().toString(),
                    "--identity",
                    "type=login,path=/api/login,username=alice,password=wonderland",
                    "--rps=0",
                    "--sarif",
                    dir.resolve("clean.sarif").toString(),
                    "--fail-on",
                    "INFO");

            assertThat(code).as(stderr()).isEqualTo(VentiScan.OK);
            JsonNode sarif = JSON.readTree(dir.resolve("clean.sarif").toFile());
            assertValidSarif(sarif, 0);
        }
    }

    @Test
    void scansATargetByAPinnedNameThatNoDnsKnows() throws Exception {
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(VulnerableApi.Mode.HARDENED, outOfScope.port())) {
            Path spec = api.writeSpec(dir);
            String target = "http://hardened.rebind.test:" + api.baseUri().getPort();
            int code = run(
                    "--spec",
                    spec.toString(),
                    "--target",
                    target,
                    "--resolve",
                    "hardened.rebind.test=127.0.0.1",
                    "--identity",
                    "type=login,path=/api/login,username=alice,password=wonderland",
                    "--rps=0");

            assertThat(code).as(stderr()).isEqualTo(VentiScan.OK);
            List<ScanEvent> events =
                    stdout().lines().map(new ScanEventCodec()::parse).toList();
            assertThat(((ScanEvent.ScanStarted) events.getFirst()).target()).startsWith(target);
            assertThat(((ScanEvent.ScanFinished) events.getLast()).outcome())
                    .isEqualTo(ScanEvent.ScanOutcome.COMPLETED);
            assertThat(outOfScope.hits()).isZero();
        } finally {
            PinnedNamesReset.unpin();
        }
    }

    /** The properties the SARIF 2.1.0 schema requires, and the constraints code-scanning tools rely on. */
    private static void assertValidSarif(JsonNode sarif, long results) {
        assertThat(sarif.path("version").asString()).isEqualTo("2.1.0");
        assertThat(sarif.path("$schema").asString()).contains("sarif-2.1.0");
        assertThat(sarif.path("runs").isArray()).isTrue();
        JsonNode run = sarif.path("runs").get(0);
        JsonNode driver = run.path("tool").path("driver");
        assertThat(driver.path("name").asString()).isEqualTo("venti-scan");
        JsonNode rules = driver.path("rules");
        assertThat(rules.size()).isEqualTo(BuiltInChecks.rules().size());
        for (JsonNode rule : rules) {
            assertThat(rule.path("id").asString()).isNotBlank();
            assertThat(rule.path("shortDescription").path("text").asString()).isNotBlank();
            assertThat(SARIF_LEVELS)
                    .contains(rule.path("defaultConfiguration").path("level").asString());
            assertThat(rule.path("properties").path("security-severity").asString())
                    .matches("\\d+\\.\\d");
        }
        assertThat(run.path("results").size()).isEqualTo((int) results);
        for (JsonNode result : run.path("results")) {
            assertThat(result.path("message").path("text").asString()).isNotBlank();
            assertThat(SARIF_LEVELS).contains(result.path("level").asString());
            int index = result.path("ruleIndex").asInt();
            assertThat(rules.get(index).path("id").asString())
                    .isEqualTo(result.path("ruleId").asString());
            JsonNode physical = result.path("locations").get(0).path("physicalLocation");
            assertThat(physical.path("artifactLocation").path("uri").asString()).isNotBlank();
            assertThat(physical.path("region").path("startLine").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(result.path("partialFingerprints")
                            .path("ventiFindingFingerprint/v1")
                            .asString())
                    .matches("[0-9a-f]{64}");
        }
        assertThat(run.path("invocations").get(0).path("executionSuccessful").isBoolean())
                .isTrue();
    }
}
