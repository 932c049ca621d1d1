package io.ventiapi.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which paths look administrative by their words alone. */
class PrivilegedOperationsTest {

    private final PrivilegedOperations privileged = new PrivilegedOperations(List.of());

    @Test
    void aPrivilegeWordAsAWholeSegmentMakesThePathLookPrivileged() {
        assertThat(List.of(
                        "/admin/users",
                        "/api/admin/users",
                        "/api/admins",
                        "/internal/jobs",
                        "/api/internal/whoami",
                        "/management/health",
                        "/staff",
                        "/backoffice/orders"))
                .allSatisfy(path -> assertThat(privileged.privilegedByPathOnly(get(path)))
                        .as(path)
                        .isTrue());
    }

    @Test
    void anAdministrationWordAsPartOfASegmentMakesThePathLookPrivileged() {
        assertThat(List.of("/admin-api/users", "/api/user_admin", "/admin.php", "/sysadmin-tools/logs"))
                .allSatisfy(path -> assertThat(privileged.looksPrivileged(get(path)))
                        .as(path)
                        .isTrue());
    }

    @Test
    void aWordThatAlsoNamesWhatEveryoneGetsCountsOnlyAsAWholeSegment() {
        assertThat(List.of(
                        "/api/books/staff-picks",
                        "/api/internal-transfers",
                        "/api/time-management/entries",
                        "/api/drug_administration/doses",
                        "/api/drive/root/children",
                        "/api/folders/manage",
                        "/api/users/{adminId}",
                        "/api/administered-vaccines"))
                .allSatisfy(path -> assertThat(privileged.looksPrivileged(get(path)))
                        .as(path)
                        .isFalse());
    }

    private static PlannedOperation get(String path) {
        return new PlannedOperation("GET " + path, "GET", path, List.of(), null, List.of(), List.of(), List.of());
    }
}
