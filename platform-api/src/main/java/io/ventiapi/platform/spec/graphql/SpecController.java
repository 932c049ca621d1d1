package io.ventiapi.platform.spec.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.NestedPages;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.spec.SpecImport;
import io.ventiapi.platform.spec.SpecOperation;
import io.ventiapi.platform.spec.SpecProblem;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.platform.spec.SpecVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class SpecController {

    private static final String OPERATIONS = "specOperations";
    private static final String VERSIONS = "projectSpecVersions";

    private final SpecService specs;

    SpecController(SpecService specs, BatchLoaderRegistry loaders) {
        this.specs = specs;
        // One statement for the operations of every version on a page, and one for the versions of
        // every project (the fields take first and after, which @BatchMapping cannot pass on).
        loaders.<NestedPages.Page, Window<SpecOperation>>forName(OPERATIONS)
                .registerMappedBatchLoader((pages, environment) -> Mono.fromSupplier(() -> specs.operations(pages)));
        loaders.<NestedPages.Page, Window<SpecVersion>>forName(VERSIONS)
                .registerMappedBatchLoader((pages, environment) -> Mono.fromSupplier(() -> specs.versions(pages)));
    }

    @MutationMapping
    SpecPayload uploadSpec(@Argument UploadSpecInput input) {
        return Payloads.attempt(
                () -> payload(specs.upload(Ids.uuid(input.projectId(), "project"), input.content())),
                SpecPayload::failed);
    }

    @MutationMapping
    SpecPayload importSpecFromUrl(@Argument ImportSpecFromUrlInput input) {
        return Payloads.attempt(
                () -> payload(specs.importFromUrl(Ids.uuid(input.projectId(), "project"), input.url())),
                SpecPayload::failed);
    }

    @BatchMapping(typeName = "Project")
    Map<Project, SpecVersion> latestSpec(List<Project> projects) {
        var latest = specs.latest(projects.stream().map(Project::getId).toList());
        var result = new LinkedHashMap<Project, SpecVersion>();
        projects.forEach(project -> result.put(project, latest.get(project.getId())));
        return result;
    }

    @SchemaMapping(typeName = "Project")
    CompletableFuture<Window<SpecVersion>> specVersions(
            Project project, ScrollSubrange subrange, DataFetchingEnvironment environment) {
        DataLoader<NestedPages.Page, Window<SpecVersion>> pages = environment.getDataLoader(VERSIONS);
        return pages.load(SpecService.versionsPage(project.getId(), Paging.position(subrange), Paging.limit(subrange)));
    }

    @SchemaMapping(typeName = "SpecVersion")
    CompletableFuture<Window<SpecOperation>> operations(
            SpecVersion version, ScrollSubrange subrange, DataFetchingEnvironment environment) {
        DataLoader<NestedPages.Page, Window<SpecOperation>> pages = environment.getDataLoader(OPERATIONS);
        return pages.load(
                SpecService.operationsPage(version.getId(), Paging.position(subrange), Paging.limit(subrange)));
    }

    @SchemaMapping(typeName = "SpecVersion")
    List<SpecProblem> warnings(SpecVersion version) {
        return SpecService.warnings(version);
    }

    @SchemaMapping(typeName = "SpecPayload")
    SpecVersion specVersion(SpecPayload payload) {
        return Payloads.readable(Scopes.PROJECTS_READ, payload.specVersion());
    }

    private static SpecPayload payload(SpecImport imported) {
        if (!imported.problems().isEmpty()) {
            var count = imported.problems().size();
            return new SpecPayload(
                    null,
                    false,
                    imported.problems(),
                    List.of(new UserError(
                            ErrorCode.INVALID_INPUT,
                            "not a usable OpenAPI document: " + count + (count == 1 ? " problem" : " problems")
                                    + ", listed in problems",
                            "content")));
        }
        return new SpecPayload(imported.version(), imported.created(), List.of(), List.of());
    }

    record UploadSpecInput(String projectId, String content) {

        @Override
        public String toString() {
            return "UploadSpecInput[projectId=" + projectId + ", " + (content == null ? 0 : content.length())
                    + " characters]";
        }
    }

    record ImportSpecFromUrlInput(String projectId, String url) {}

    record SpecPayload(SpecVersion specVersion, boolean created, List<SpecProblem> problems, List<UserError> errors) {

        static SpecPayload failed(UserError error) {
            return new SpecPayload(null, false, List.of(), List.of(error));
        }
    }
}
