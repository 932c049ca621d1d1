package io.ventiapi.platform.scan.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.ventiapi.platform.common.NestedPages;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.scan.Scan;
import io.ventiapi.platform.scan.ScanChanges;
import io.ventiapi.platform.scan.ScanService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class ScanController {

    private static final String SCANS = "projectScans";

    private final ScanService scans;
    private final ProjectService projects;

    ScanController(ScanService scans, ProjectService projects, BatchLoaderRegistry loaders) {
        this.scans = scans;
        this.projects = projects;
        // One statement for the scans of every project on a page (the field takes first and after,
        // which @BatchMapping cannot pass on): keyed by project and page.
        loaders.<NestedPages.Page, Window<Scan>>forName(SCANS)
                .registerMappedBatchLoader((pages, environment) -> Mono.fromSupplier(() -> scans.pages(pages)));
    }

    @QueryMapping
    Scan scan(@Argument String id) {
        return Ids.parse(id).flatMap(scans::find).orElse(null);
    }

    @MutationMapping
    ScanPayload startScan(@Argument StartScanInput input) {
        return Payloads.attempt(
                () -> new ScanPayload(scans.start(Ids.uuid(input.projectId(), "project"), input.profile()), List.of()),
                error -> new ScanPayload(null, List.of(error)));
    }

    @MutationMapping
    ScanPayload cancelScan(@Argument CancelScanInput input) {
        return Payloads.attempt(
                () -> new ScanPayload(scans.cancel(Ids.uuid(input.id(), "scan")), List.of()),
                error -> new ScanPayload(null, List.of(error)));
    }

    @SchemaMapping(typeName = "ScanPayload")
    Scan scan(ScanPayload payload) {
        return Payloads.readable(Scopes.SCANS_READ, payload.scan());
    }

    @SchemaMapping(typeName = "ScanPayload")
    UUID scanId(ScanPayload payload) {
        return payload.scan() == null ? null : payload.scan().getId();
    }

    @SchemaMapping(typeName = "Project")
    CompletableFuture<Window<Scan>> scans(
            Project project, ScrollSubrange subrange, DataFetchingEnvironment environment) {
        DataLoader<NestedPages.Page, Window<Scan>> pages = environment.getDataLoader(SCANS);
        return pages.load(ScanService.scansPage(project.getId(), Paging.position(subrange), Paging.limit(subrange)));
    }

    @BatchMapping(typeName = "Project")
    Map<Project, Scan> latestScan(List<Project> sources) {
        var latest = scans.latest(sources.stream().map(Project::getId).toList());
        var result = new LinkedHashMap<Project, Scan>();
        sources.forEach(project -> result.put(project, latest.get(project.getId())));
        return result;
    }

    @BatchMapping(typeName = "Scan")
    Map<Scan, Project> project(List<Scan> sources) {
        var byId = projects
                .findAll(sources.stream().map(Scan::getProjectId).distinct().toList())
                .stream()
                .collect(Collectors.toMap(Project::getId, Function.identity()));
        var result = new LinkedHashMap<Scan, Project>();
        sources.forEach(scan -> result.put(scan, byId.get(scan.getProjectId())));
        return result;
    }

    /** {@code new} is a reserved word in Java. */
    @SchemaMapping(typeName = "ScanChanges", field = "new")
    int newFindings(ScanChanges changes) {
        return changes.newFindings();
    }

    record StartScanInput(String projectId, ScanProfile profile) {}

    record CancelScanInput(String id) {}

    record ScanPayload(Scan scan, List<UserError> errors) {}
}
