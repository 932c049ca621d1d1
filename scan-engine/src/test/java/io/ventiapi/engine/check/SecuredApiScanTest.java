package io.ventiapi.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against a correctly secured API with habits scanners mistake for flaws ({@link SecuredApi}): none
 * of those habits is reported, the two flaws planted among them are, and the scan does not lock its own accounts
 * out. Each test names the false positive it guards against.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredApiScanTest {

    private Path workDir;
    private SecuredApi plainApi;
    private List<Finding> plain;
    private List<Finding> plainWithNews;
    private List<Finding> plainUsersOnly;
    private List<Finding> envelope;
    private List<Finding> envelopeUsersOnly;

    @BeforeAll
    void scan(@TempDir Path dir) throws IOException {
        workDir = dir;
        plainApi = new SecuredApi(SecuredApi.Mode.PLAIN);
        plain = scan(plainApi, SecuredApi.PLAIN_SPEC, "/token", List.of("alice", "bob", "admin"));
        plainWithNews = scan(plainApi, SecuredApi.PLAIN_SPEC_WITH_NEWS, "/token", List.of("alice", "bob", "admin"));
        plainUsersOnly = scan(plainApi, SecuredApi.PLAIN_SPEC, "/token", List.of("alice", "bob"));
        try (SecuredApi api = new SecuredApi(SecuredApi.Mode.ENVELOPE)) {
            envelope = scan(api, SecuredApi.ENVELOPE_SPEC, "/data/token", List.of("alice", "bob", "admin"));
            envelopeUsersOnly = scan(api, SecuredApi.ENVELOPE_SPEC, "/data/token", List.of("alice", "bob"));
        }
    }

    @AfterAll
    void stop() {
        plainApi.close();
    }

    @Test
    void anErrorEnvelopeAnsweredWith200IsARefusal() {
        assertThat(envelope)
                .as("GET /api/account answers 200 {\"code\":401,…,\"data\":null} without a token")
                .noneMatch(
                        f -> f.ruleId().startsWith("auth.") && f.pathTemplate().equals("/api/account"));
        assertThat(envelope)
                .as("alice (role user) gets 200 {\"code\":403,\"message\":\"forbidden\",\"data\":null}")
                .noneMatch(f ->
                        f.ruleId().equals("access.bfla") && f.pathTemplate().equals("/api/admin/users"));
        assertThat(envelopeUsersOnly)
                .as("without an administrator to compare with, alice's own 200 {\"code\":403} grants nothing")
                .noneMatch(f ->
                        f.ruleId().equals("access.bfla") && f.pathTemplate().equals("/api/admin/users"));

        assertThat(envelope)
                .as("the operation that really checks no credentials, among the envelopes")
                .anyMatch(f -> f.ruleId().equals("auth.no-credentials")
                        && f.pathTemplate().equals("/api/statement"));
        assertThat(envelope)
                .as("the administrative operation that really checks no role")
                .anyMatch(f ->
                        f.ruleId().equals("access.bfla") && f.pathTemplate().equals("/api/admin/audit"));
    }

    @Test
    void aRedirectToTheLoginPageIsNoLiveEndpoint() {
        assertThat(plain)
                .as("GET /admin → 302 /login → 200 login form")
                .noneMatch(f -> f.ruleId().equals("inventory.undocumented-endpoint"));
    }

    @Test
    void theCallersOwnDataUnderAnAdministrativeSoundingPathIsNoPrivilegedFunction() {
        assertThat(plain)
                .as("GET /api/drive/root/children, /api/folders/manage and /api/internal/whoami answer alice her own"
                        + " data, with the same keys as the administrator's")
                .noneMatch(f -> f.ruleId().equals("access.bfla"));
        assertThat(plainUsersOnly)
                .as("without an administrator to compare with, alice and bob each getting their own data")
                .noneMatch(f -> f.ruleId().equals("access.bfla"));
    }

    @Test
    void anEchoedPropertyIsNotConfirmedMassAssignment() {
        assertThat(plain)
                .as("PATCH /api/profile echoes role=admin but stores only the name, as GET /api/profile shows")
                .noneMatch(f -> f.ruleId().equals("property.mass-assignment")
                        && f.pathTemplate().equals("/api/profile"));
        assertThat(plain)
                .as("PATCH /api/settings stores the plan, as GET /api/settings shows")
                .anyMatch(f -> f.ruleId().equals("property.mass-assignment")
                        && f.pathTemplate().equals("/api/settings")
                        && "body:plan".equals(f.parameter())
                        && f.confidence() == Confidence.CONFIRMED);
    }

    @Test
    void aPagingTokenIsNoCredential() {
        assertThat(plain)
                .as("nextPageToken in GET /api/reviews")
                .noneMatch(f -> f.ruleId().equals("exposure.sensitive-field"));
    }

    @Test
    void theScanDoesNotLockItsOwnAccountsOut() {
        assertThat(plainApi.lockedLogins.get())
                .as("logins refused with 423 because an account had 5 failed logins")
                .isZero();
        for (String user : SecuredApi.PASSWORDS.keySet()) {
            assertThat(plainApi.failures(user))
                    .as("failed logins counted against %s", user)
                    .isLessThan(5);
        }
        assertThat(plain)
                .as("a made-up user name cannot show a per-account lockout: at most information")
                .filteredOn(f -> f.ruleId().equals("auth.no-login-throttling"))
                .allMatch(f -> f.severity() == Severity.INFO);
    }

    @Test
    void aHealthCheckBurstIsAtMostInformation() {
        assertThat(plain)
                .filteredOn(f -> f.ruleId().equals("resource.no-rate-limit"))
                .as("the burst goes to an operation of the API itself, not the health check")
                .allMatch(f -> !f.pathTemplate().equals("/api/health")
                        && f.evidence().explanation().startsWith("No limit seen within 50 requests at "));
    }

    @Test
    void aPostEveryMemberIsListedIsNoConfirmedBrokenObjectAuthorization() {
        assertThat(plain)
                .as("bob reads alice's forum post, which bob's own GET /api/posts lists in full")
                .noneMatch(f -> f.ruleId().startsWith("access.bola") && f.confidence() == Confidence.CONFIRMED);
        assertThat(plain)
                .as("reported, as the same listing could leak everyone's objects, but as possibly shared by design")
                .anyMatch(f -> f.ruleId().equals("access.bola")
                        && f.method().equals("GET")
                        && f.pathTemplate().equals("/api/posts/{postId}")
                        && f.confidence() == Confidence.FIRM
                        && f.evidence().explanation().contains("shared by design"));
    }

    @Test
    void targetWideFindingsKeepTheirFingerprintWhenAnUnrelatedOperationIsAdded() {
        Set<String> targetWide = Set.of(
                "misconfig.version-disclosure", "misconfig.cacheable-authenticated-response", "resource.no-rate-limit");
        Map<String, Finding> before = byRule(plain, targetWide);
        Map<String, Finding> after = byRule(plainWithNews, targetWide);

        assertThat(before.keySet()).containsExactlyInAnyOrderElementsOf(targetWide);
        assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(targetWide);
        assertThat(after.values())
                .as("the added operation is the first example of some of them")
                .anyMatch(f -> f.pathTemplate().equals("/api/aaa-news"));
        for (String rule : targetWide) {
            assertThat(after.get(rule).fingerprint())
                    .as("fingerprint of %s", rule)
                    .isEqualTo(before.get(rule).fingerprint());
        }
    }

    private static Map<String, Finding> byRule(List<Finding> findings, Set<String> rules) {
        Map<String, Finding> byRule = new LinkedHashMap<>();
        findings.stream().filter(f -> rules.contains(f.ruleId())).forEach(f -> byRule.put(f.ruleId(), f));
        return byRule;
    }

    private List<Finding> scan(SecuredApi api, String specText, String tokenPointer, List<String> users)
            throws IOException {
        Map<String, String> roles = new LinkedHashMap<>();
        List<Identity> identities = users.stream()
                .map(user -> {
                    roles.put(user, user.equals("admin") ? "admin" : "user");
                    return (Identity) new Identity.LoginFlow(
                            user,
                            "POST",
                            "/api/login",
                            Map.of("username", user, "password", SecuredApi.PASSWORDS.get(user)),
                            tokenPointer);
                })
                .toList();
        return TestApiScan.scan(api.baseUri(), specText, workDir, identities, roles);
    }
}
