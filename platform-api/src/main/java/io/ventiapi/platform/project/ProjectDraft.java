package io.ventiapi.platform.project;

import java.util.List;

/**
 * The settable fields of a project. On creation, absent optional fields take their defaults; on
 * an update, absent (null) fields stay as they are, and {@code identities}, when given, replaces
 * the whole set.
 *
 * @param name unique among the tenant's live projects
 * @param targetUrl base URL of the API under test
 * @param environment a free label such as {@code staging}
 * @param scannerKinds which scanners run (default {@code venti})
 * @param defaultProfile the profile of scans started without one
 * @param rateLimit requests per second a scan may send
 * @param requestBudget most requests one scan may send
 * @param identities the test identities scans act as
 */
public record ProjectDraft(
        String name,
        String targetUrl,
        String environment,
        List<String> scannerKinds,
        String customScannerImage,
        ScanProfile defaultProfile,
        Integer rateLimit,
        Integer requestBudget,
        List<IdentityDraft> identities) {}
