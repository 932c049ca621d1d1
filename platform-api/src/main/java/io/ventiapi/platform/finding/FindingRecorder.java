package io.ventiapi.platform.finding;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.SecretRedactor;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.finding.internal.FindingEvidenceRepository;
import io.ventiapi.platform.finding.internal.FindingRepository;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.scan.ScanChanges;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.scan.SeverityCounts;
import io.ventiapi.tenancy.Tenancy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Merges what a scan reported into the project's findings: the scan pipeline's way in, not part
 * of the public API. Idempotent: one row per (tenant, project, fingerprint); reporting the same
 * finding of the same scan twice (at-least-once delivery) changes nothing and counts it once.
 */
@Service
public class FindingRecorder {

    /** The scan profiles as an SQL array, least thorough first: {@code array['SAFE', …]}. */
    private static final String PROFILES_BY_THOROUGHNESS = Arrays.stream(ScanProfile.values())
            .map(profile -> "'" + profile.name() + "'")
            .collect(Collectors.joining(", ", "array[", "]"));

    private final FindingRepository findings;
    private final FindingEvidenceRepository evidence;
    private final ScanService scans;
    private final ProjectService projects;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    FindingRecorder(
            FindingRepository findings,
            FindingEvidenceRepository evidence,
            ScanService scans,
            ProjectService projects,
            AuditLog audit,
            JdbcClient jdbc,
            ObjectProvider<Clock> clock) {
        this.findings = findings;
        this.evidence = evidence;
        this.scans = scans;
        this.projects = projects;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Records the findings a scan reported; returns them as stored. Reports for a scan that has
     * ended are ignored (an old scan's events replayed must not make its findings look current).
     */
    @Transactional
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public List<Finding> record(UUID scanId, List<ObservedFinding> observed) {
        // Locked first, as ending or cancelling it does: an end cannot slip in between the check
        // below and the findings, and the two never wait on each other's locks in a circle.
        var scan = scans.lock(scanId);
        if (!scan.getStatus().isActive()) {
            return List.of();
        }
        lockProject(scan.getProjectId());
        // The project's own identity secrets, which the scanner sent and the target may have echoed:
        // they never reach stored evidence, whatever header or field carried them.
        var secrets = projects.identitySecrets(scan.getProjectId());
        observed = observed.stream().map(finding -> fitted(finding, secrets)).toList();
        var now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        var byFingerprint = observed.stream()
                .collect(Collectors.toMap(
                        ObservedFinding::fingerprint,
                        Function.identity(),
                        (first, second) -> second,
                        LinkedHashMap::new));
        var stored =
                findings
                        .findByProjectIdAndFingerprintInOrderByIdAsc(scan.getProjectId(), byFingerprint.keySet())
                        .stream()
                        .collect(Collectors.toMap(Finding::getFingerprint, Function.identity()));
        var storedEvidence = evidence
                .findAllById(stored.values().stream().map(Finding::getId).toList())
                .stream()
                .collect(Collectors.toMap(FindingEvidence::getId, Function.identity()));
        var firstSightings = new EnumMap<Severity, Integer>(Severity.class);
        var recorded = new ArrayList<Finding>();
        int created = 0;
        for (var entry : byFingerprint.entrySet()) {
            var report = entry.getValue();
            var finding = stored.get(entry.getKey());
            if (finding == null) {
                finding = new Finding(scan.getProjectId(), entry.getKey(), scanId, now);
                created++;
            }
            if (!scanId.equals(finding.getLastSeenScanId())) {
                firstSightings.merge(report.severity(), 1, Integer::sum);
            }
            var seen = finding.observe(report, scanId, now);
            recorded.add(findings.save(finding));
            if (seen.lapsedAcceptance() != null) {
                FindingService.auditLapse(audit, finding, seen.lapsedAcceptance(), Map.of("scanId", scanId.toString()));
            }
            if (seen.outgrownAcceptance() != null) {
                var summary = new LinkedHashMap<String, Object>();
                summary.put("status", finding.getStatus().name());
                summary.put("previousStatus", FindingStatus.ACCEPTED_RISK.name());
                summary.put("acceptedSeverity", seen.outgrownAcceptance().name());
                summary.put("severity", finding.getSeverity().name());
                summary.put("scanId", scanId.toString());
                audit.record("finding.reopen", "Finding", finding.getId().toString(), summary);
            }
            if (seen.regressed()) {
                audit.record(
                        "finding.regress",
                        "Finding",
                        finding.getId().toString(),
                        Map.of("status", finding.getStatus().name(), "scanId", scanId.toString()));
            }
            // Saved after its finding, which its row references.
            var shown = storedEvidence.computeIfAbsent(finding.getId(), FindingEvidence::new);
            shown.observe(
                    SecretRedactor.redact(report.requestExcerpt(), secrets),
                    SecretRedactor.redact(report.responseExcerpt(), secrets));
            evidence.save(shown);
        }
        scans.addFindings(scanId, counts(firstSightings));
        audit.record(
                "finding.record", "Scan", scanId.toString(), Map.of("reported", byFingerprint.size(), "new", created));
        return recorded;
    }

    /**
     * Compares a scan that just succeeded with the project's earlier scans: open findings no scan
     * has seen since it was queued are closed as fixed, each audited ({@code finding.fix}; findings
     * judged false positives or accepted risks keep their status), and the scan keeps the counts of
     * new, recurring, regressed and fixed findings.
     * Call it in the transaction that ended the scan.
     *
     * <p>Only a scan that could have seen a finding closes it: one that covered everything it
     * planned (not one cut short by its request budget), with a profile at least as thorough as
     * the scan that last saw the finding (a SAFE scan does not run the probes an AGGRESSIVE one
     * found it with), running every scanner that scan ran (a scan without zap does not see
     * whether what zap found is gone), and of a document that still has the finding's operation
     * if the document of the scan that last saw it had it (an operation dropped from the document
     * was not tested, and may well still be served).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public ScanChanges closeScan(UUID scanId) {
        var scan = scans.find(scanId).orElseThrow(() -> UserErrorException.notFound("scan", scanId));
        findings.flush();
        lockProject(scan.getProjectId());
        var tenant = Tenancy.current().value();
        // Only findings no scan has seen since this one was queued: another scan of the project,
        // running at the same time, may have seen one this scan did not reach.
        List<UUID> fixed = !scan.coveredEverything()
                ? List.of()
                : jdbc.sql("""
                                update findings set status = 'FIXED', last_change = 'FIXED'
                                where tenant_id = ? and project_id = ? and status = 'OPEN' and last_seen_scan_id <> ?
                                  and last_seen_at < (select queued_at from scans where id = ?)
                                  and (select array_position(%1$s, seen_by.profile)
                                              <= array_position(%1$s, ?)
                                            and string_to_array(seen_by.scanner_kinds, ' ')
                                              <@ (select string_to_array(scanner_kinds, ' ') from scans where id = ?)
                                            and (findings.fingerprint = %4$s or not (%2$s and not %3$s))
                                       from scans seen_by where seen_by.id = findings.last_seen_scan_id)
                                returning id""".formatted(
                                        PROFILES_BY_THOROUGHNESS,
                                        IN_SPEC.formatted("seen_by.spec_version_id"),
                                        IN_SPEC.formatted("(select spec_version_id from scans where id = ?)"),
                                        TARGET_WIDE_FINGERPRINT))
                        .params(
                                tenant,
                                scan.getProjectId(),
                                scanId,
                                scanId,
                                scan.getProfile().name(),
                                scanId,
                                scanId)
                        .query((rs, row) -> rs.getObject(1, UUID.class))
                        .list();
        var seen = new EnumMap<FindingChange, Integer>(FindingChange.class);
        jdbc.sql("""
                        select last_change, count(*) from findings
                        where tenant_id = ? and last_seen_scan_id = ? group by last_change""")
                .params(tenant, scanId)
                .query((rs, row) -> seen.put(FindingChange.valueOf(rs.getString(1)), rs.getInt(2)))
                .list();
        var changes = new ScanChanges(
                seen.getOrDefault(FindingChange.NEW, 0),
                seen.getOrDefault(FindingChange.RECURRING, 0),
                seen.getOrDefault(FindingChange.REGRESSED, 0),
                fixed.size());
        scans.recordChanges(scanId, changes);
        // One event per finding, as a regression or a triage has: a finding's history (and which
        // findings a scan closed) reads from the log, filtered by target as any other. A scan that
        // closes thousands writes thousands of rows to the tenant's chain as it commits, which
        // happens when a release fixes that much; an event listing the ids would have to be cut
        // somewhere, and then it no longer says which.
        for (var id : fixed.stream().sorted().toList()) {
            audit.record(
                    "finding.fix",
                    "Finding",
                    id.toString(),
                    Map.of(
                            "status", FindingStatus.FIXED.name(),
                            "previousStatus", FindingStatus.OPEN.name(),
                            "scanId", scanId.toString()));
        }
        return changes;
    }

    /**
     * Whether the finding's operation is in the spec version {@code %s} names, its path parameters'
     * names aside ({@code /pets/{id}} is {@code /pets/{petId}}).
     */
    private static final String IN_SPEC = """
            exists (select 1 from spec_operations o where o.spec_version_id = %s
                    and regexp_replace(o.path, '\\{[^}]*\\}', '{}', 'g')
                        = regexp_replace(findings.path, '\\{[^}]*\\}', '{}', 'g')
                    and upper(o.method) = upper(findings.method))""";

    /**
     * The fingerprint the finding would have if it were about the whole target (ADR 16): such a
     * finding names an operation only as where it happened to be seen, which a new document may drop.
     */
    private static final String TARGET_WIDE_FINGERPRINT = """
            encode(sha256(convert_to(findings.rule_id || E'\\n*\\n*\\n' || coalesce(findings.parameter, ''), 'UTF8')), 'hex')""";

    private void lockProject(UUID projectId) {
        // One recorder per project at a time: two deliveries of one event cannot both insert.
        jdbc.sql("select pg_advisory_xact_lock(hashtext('findings:' || ?))")
                .param(projectId.toString())
                .query()
                .singleValue();
    }

    private static SeverityCounts counts(Map<Severity, Integer> bySeverity) {
        return new SeverityCounts(
                bySeverity.getOrDefault(Severity.INFO, 0),
                bySeverity.getOrDefault(Severity.LOW, 0),
                bySeverity.getOrDefault(Severity.MEDIUM, 0),
                bySeverity.getOrDefault(Severity.HIGH, 0),
                bySeverity.getOrDefault(Severity.CRITICAL, 0));
    }

    /**
     * The finding as it is stored: its rule id, title, method and path cut to what the columns
     * hold. Other scanners (ZAP, a custom image) write titles and paths of any length, and a
     * finding refused for its title's length failed its whole scan, at every rescan. Its
     * fingerprint, which tells findings apart, is never cut: one too long is refused. Its title,
     * parameter and advice are redacted as its evidence is: another scanner's may quote what it
     * sent.
     */
    private static ObservedFinding fitted(ObservedFinding finding, Collection<String> secrets) {
        require(finding.fingerprint(), "fingerprint", 200);
        require(finding.ruleId(), "ruleId", Integer.MAX_VALUE);
        require(finding.title(), "title", Integer.MAX_VALUE);
        require(finding.method(), "method", Integer.MAX_VALUE);
        require(finding.path(), "path", Integer.MAX_VALUE);
        if (finding.category() == null || finding.severity() == null || finding.confidence() == null) {
            throw UserErrorException.invalid("finding", "a finding needs a category, a severity and a confidence");
        }
        return new ObservedFinding(
                finding.fingerprint(),
                cut(finding.ruleId(), 200),
                cut(SecretRedactor.redact(finding.title(), secrets), 500),
                finding.category(),
                finding.cwe(),
                finding.severity(),
                finding.confidence(),
                cut(finding.method(), 10),
                cut(finding.path(), 2000),
                SecretRedactor.redact(finding.parameter(), secrets),
                finding.requestExcerpt(),
                finding.responseExcerpt(),
                SecretRedactor.redact(finding.remediation(), secrets));
    }

    private static void require(String value, String field, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw UserErrorException.invalid(
                    field,
                    max == Integer.MAX_VALUE
                            ? "a finding's " + field + " is required"
                            : "a finding's " + field + " is 1-" + max + " characters");
        }
    }

    /** At most {@code max} characters, a cut one ending in an ellipsis (never half a surrogate pair). */
    private static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }
}
