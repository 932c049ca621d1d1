package io.ventiapi.engine.check.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.testapi.TestApiScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bookshop that serves every user the same staff picks and announcements: content under a path word that sounds
 * administrative is no privileged function. (A real one is found on the test API and in
 * {@code SecuredApiScanTest}.)
 */
class FunctionLevelAuthorizationScanTest {

    private static final String SPEC = TokenApi.spec("""
            /api/books/staff-picks:
              get:
                operationId: listStaffPicks
                responses: {'200': {description: the books the shop's staff recommend, the same for everyone}}
            /api/internal/announcements:
              get:
                operationId: listAnnouncements
                responses: {'200': {description: the shop's news, the same for everyone}}
            """);

    private static final List<Map<String, Object>> PICKS = List.of(
            Map.of("id", 7, "title", "The Left Hand of Darkness", "price", 12),
            Map.of("id", 9, "title", "Piranesi", "price", 15));
    private static final List<Map<String, Object>> NEWS =
            List.of(Map.of("id", 1, "text", "Closed on Monday for inventory"));

    @Test
    void staffPicksServedAlikeToEveryoneAreNoPrivilegedFunction(@TempDir Path dir) throws IOException {
        List<Finding> withoutAdministrator;
        List<Finding> withAdministrator;
        try (TokenApi api = new TokenApi(FunctionLevelAuthorizationScanTest::answer)) {
            withoutAdministrator = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
            withAdministrator = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB, TestApiScan.ADMIN);
        }
        assertThat(withoutAdministrator)
                .as("staff-picks has no privilege word as a segment of its own")
                .noneMatch(f ->
                        f.ruleId().equals("access.bfla") && f.pathTemplate().contains("staff-picks"));
        assertThat(withAdministrator)
                .as("nor with an administrator answered alike")
                .noneMatch(f ->
                        f.ruleId().equals("access.bfla") && f.pathTemplate().contains("staff-picks"));
    }

    @Test
    void aPathWordAloneWithoutAnAdministratorToCompareWithIsAtMostInformation(@TempDir Path dir) throws IOException {
        List<Finding> findings;
        try (TokenApi api = new TokenApi(FunctionLevelAuthorizationScanTest::answer)) {
            findings = api.scan(dir, SPEC, TestApiScan.ALICE, TestApiScan.BOB);
        }
        assertThat(findings)
                .filteredOn(f -> f.ruleId().equals("access.bfla"))
                .as("alice and bob both read the announcements under /internal/, and no administrator was given")
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.pathTemplate()).isEqualTo("/api/internal/announcements");
                    assertThat(f.severity()).isEqualTo(Severity.INFO);
                    assertThat(f.evidence().explanation()).contains("Only a word of its path");
                });
    }

    private static TokenApi.Answer answer(TokenApi.Call call) {
        if (call.is("GET", "/api/books/staff-picks")) {
            return TokenApi.Answer.ok(PICKS);
        }
        if (call.is("GET", "/api/internal/announcements")) {
            return TokenApi.Answer.ok(NEWS);
        }
        return null;
    }
}
