package io.ventiapi.platform.finding.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingCounts;
import io.ventiapi.platform.finding.FindingFilter;
import io.ventiapi.platform.finding.FindingOrder;
import io.ventiapi.platform.finding.FindingService;
import io.ventiapi.platform.finding.FindingStatus;
import io.ventiapi.platform.finding.OwaspCategory;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.graphql.Selections;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class FindingController {

    private final FindingService findings;
    private final ProjectService projects;
    private final ScanService scans;

    FindingController(FindingService findings, ProjectService projects, ScanService scans) {
        this.findings = findings;
        this.projects = projects;
        this.scans = scans;
    }

    /**
     * A page of findings. When the query selects their project or last-seen scan, those are read in
     * the same statement and handed to the data loaders of {@link #project} and {@link
     * #lastSeenScan} up front, which then have nothing left to load.
     */
    @QueryMapping
    Window<Finding> findings(
            @Argument FindingFilterInput filter,
            @Argument FindingOrder orderBy,
            ScrollSubrange subrange,
            DataFetchingEnvironment environment) {
        var page = findings.search(
                filter == null ? FindingFilter.NONE : filter.toFilter(),
                orderBy,
                Paging.position(subrange),
                Paging.limit(subrange),
                Selections.selects(environment, "edges", "node", "project"),
                Selections.selects(environment, "edges", "node", "lastSeenScan"));
        prime(environment, "Finding.project", page.findings(), page.projects(), Finding::getProjectId);
        prime(environment, "Finding.lastSeenScan", page.findings(), page.lastSeenScans(), Finding::getLastSeenScanId);
        return page.findings();
    }

    /** Gives {@code loader} each finding's value from {@code byId}, unless nothing was read for it. */
    private static <V> void prime(
            DataFetchingEnvironment environment,
            String loader,
            Window<Finding> page,
            Map<UUID, V> byId,
            Function<Finding, UUID> key) {
        if (byId.isEmpty()) {
            return;
        }
        DataLoader<Finding, V> dataLoader = environment.getDataLoader(loader);
        page.forEach(finding -> dataLoader.prime(finding, byId.get(key.apply(finding))));
    }

    @QueryMapping
    Finding finding(@Argument String id) {
        return Ids.parse(id).flatMap(findings::find).orElse(null);
    }

    @MutationMapping
    FindingPayload triageFinding(@Argument TriageFindingInput input) {
        return Payloads.attempt(
                () -> new FindingPayload(
                        findings.triage(
                                Ids.uuid(input.id(), "finding"), input.status(), input.reason(), input.expiresAt()),
                        List.of()),
                error -> new FindingPayload(null, List.of(error)));
    }

    @SchemaMapping(typeName = "FindingPayload")
    Finding finding(FindingPayload payload) {
        return Payloads.readable(Scopes.FINDINGS_READ, payload.finding());
    }

    @BatchMapping(typeName = "Finding")
    Map<Finding, Project> project(List<Finding> sources) {
        var byId = projects.findAll(distinct(sources.stream().map(Finding::getProjectId))).stream()
                .collect(Collectors.toMap(Project::getId, Function.identity()));
        return map(sources, finding -> byId.get(finding.getProjectId()));
    }

    @BatchMapping(typeName = "Finding")
    Map<Finding, Scan> firstSeenScan(List<Finding> sources) {
        var byId = scansById(sources.stream().map(Finding::getFirstSeenScanId));
        return map(sources, finding -> byId.get(finding.getFirstSeenScanId()));
    }

    @BatchMapping(typeName = "Finding")
    Map<Finding, Scan> lastSeenScan(List<Finding> sources) {
        var byId = scansById(sources.stream().map(Finding::getLastSeenScanId));
        return map(sources, finding -> byId.get(finding.getLastSeenScanId()));
    }

    /** Read only for the findings that ask for it: lists leave it out of their statement (ADR 12). */
    @BatchMapping(typeName = "Finding")
    Map<Finding, Evidence> evidence(List<Finding> sources) {
        var byId = findings.evidence(distinct(sources.stream().map(Finding::getId)));
        return map(sources, finding -> {
            var shown = byId.get(finding.getId());
            return shown == null ? Evidence.NONE : new Evidence(shown.getRequest(), shown.getResponse());
        });
    }

    @SchemaMapping(typeName = "Finding")
    Triage triage(Finding finding) {
        return finding.getTriagedAt() == null
                ? null
                : new Triage(
                        finding.getTriageReason(),
                        finding.getTriageExpiresAt(),
                        finding.getTriagedBy(),
                        finding.getTriagedAt());
    }

    @BatchMapping(typeName = "Project")
    Map<Project, FindingCounts> findingCounts(List<Project> sources) {
        var counts = findings.counts(sources.stream().map(Project::getId).toList());
        var result = new LinkedHashMap<Project, FindingCounts>();
        sources.forEach(project -> result.put(project, counts.get(project.getId())));
        return result;
    }

    private Map<UUID, Scan> scansById(Stream<UUID> ids) {
        return scans.findAll(distinct(ids)).stream().collect(Collectors.toMap(Scan::getId, Function.identity()));
    }

    private static List<UUID> distinct(Stream<UUID> ids) {
        return ids.distinct().toList();
    }

    private static <V> Map<Finding, V> map(List<Finding> sources, Function<Finding, V> value) {
        var result = new LinkedHashMap<Finding, V>();
        sources.forEach(finding -> result.put(finding, value.apply(finding)));
        return result;
    }

    record FindingFilterInput(
            String projectId, Severity minSeverity, FindingStatus status, OwaspCategory category, String ruleId) {

        FindingFilter toFilter() {
            return new FindingFilter(
                    projectId == null ? null : Ids.uuid(projectId, "project"), minSeverity, status, category, ruleId);
        }
    }

    record TriageFindingInput(String id, FindingStatus status, String reason, Instant expiresAt) {}

    record FindingPayload(Finding finding, List<UserError> errors) {}

    record Evidence(String request, String response) {

        static final Evidence NONE = new Evidence(null, null);
    }

    record Triage(String reason, Instant expiresAt, String by, Instant at) {}
}
