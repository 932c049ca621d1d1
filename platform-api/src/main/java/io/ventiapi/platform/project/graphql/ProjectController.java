package io.ventiapi.platform.project.graphql;

import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.project.IdentityDraft;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.IdentitySettings;
import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.project.TestIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class ProjectController {

    private final ProjectService projects;

    ProjectController(ProjectService projects) {
        this.projects = projects;
    }

    @QueryMapping
    Window<Project> projects(@Argument Boolean includeArchived, ScrollSubrange subrange) {
        return projects.list(Paging.position(subrange), Paging.limit(subrange), Boolean.TRUE.equals(includeArchived));
    }

    @QueryMapping
    Project project(@Argument String id) {
        return Ids.parse(id).flatMap(projects::find).orElse(null);
    }

    @BatchMapping
    Map<Project, List<TestIdentity>> identities(List<Project> sources) {
        var byId = projects.identities(sources.stream().map(Project::getId).toList());
        var result = new LinkedHashMap<Project, List<TestIdentity>>();
        sources.forEach(project -> result.put(project, byId.getOrDefault(project.getId(), List.of())));
        return result;
    }

    @MutationMapping
    ProjectPayload createProject(@Argument CreateProjectInput input) {
        return Payloads.attempt(
                () -> new ProjectPayload(projects.create(draft(input)), List.of()),
                error -> new ProjectPayload(null, List.of(error)));
    }

    @MutationMapping
    ProjectPayload updateProject(@Argument UpdateProjectInput input) {
        return Payloads.attempt(
                () -> new ProjectPayload(projects.update(Ids.uuid(input.id(), "project"), draft(input)), List.of()),
                error -> new ProjectPayload(null, List.of(error)));
    }

    @MutationMapping
    ProjectPayload archiveProject(@Argument ArchiveProjectInput input) {
        return Payloads.attempt(
                () -> new ProjectPayload(projects.archive(Ids.uuid(input.id(), "project")), List.of()),
                error -> new ProjectPayload(null, List.of(error)));
    }

    @SchemaMapping(typeName = "ProjectPayload")
    Project project(ProjectPayload payload) {
        return Payloads.readable(Scopes.PROJECTS_READ, payload.project());
    }

    @SchemaMapping(typeName = "ProjectPayload")
    UUID projectId(ProjectPayload payload) {
        return payload.project() == null ? null : payload.project().getId();
    }

    private static ProjectDraft draft(ProjectFields input) {
        return new ProjectDraft(
                input.name(),
                input.targetUrl(),
                input.environment(),
                input.scannerKinds(),
                input.customScannerImage(),
                input.defaultProfile(),
                input.rateLimit(),
                input.requestBudget(),
                drafts(input.identities()));
    }

    private static List<IdentityDraft> drafts(List<IdentityInput> identities) {
        if (identities == null) {
            return null;
        }
        var drafts = new ArrayList<IdentityDraft>();
        for (int i = 0; i < identities.size(); i++) {
            var identity = identities.get(i);
            Map<String, String> fields = null;
            if (identity.loginFields() != null) {
                fields = new LinkedHashMap<>();
                for (var field : identity.loginFields()) {
                    if (fields.put(field.name(), field.value()) != null) {
                        // Not the last one silently: the user meant one of them.
                        throw UserErrorException.invalid(
                                "identities[" + i + "].loginFields", "login field " + field.name() + " is given twice");
                    }
                }
            }
            drafts.add(new IdentityDraft(
                    identity.name(), identity.kind(), identity.settings(), identity.secret(), fields));
        }
        return drafts;
    }

    record IdentityInput(
            String name,
            IdentityKind kind,
            IdentitySettings settings,
            String secret,
            List<LoginFieldInput> loginFields) {

        @Override
        public String toString() {
            // Inputs can end up in logs; the secret must not.
            return "IdentityInput[name=" + name + ", kind=" + kind + "]";
        }
    }

    record LoginFieldInput(String name, String value) {

        @Override
        public String toString() {
            return "LoginFieldInput[name=" + name + "]";
        }
    }

    /** What creating and updating a project both take. */
    interface ProjectFields {
        String name();

        String targetUrl();

        String environment();

        List<String> scannerKinds();

        String customScannerImage();

        ScanProfile defaultProfile();

        Integer rateLimit();

        Integer requestBudget();

        List<IdentityInput> identities();
    }

    record CreateProjectInput(
            String name,
            String targetUrl,
            String environment,
            List<String> scannerKinds,
            String customScannerImage,
            ScanProfile defaultProfile,
            Integer rateLimit,
            Integer requestBudget,
            List<IdentityInput> identities)
            implements ProjectFields {}

    record UpdateProjectInput(
            String id,
            String name,
            String targetUrl,
            String environment,
            List<String> scannerKinds,
            String customScannerImage,
            ScanProfile defaultProfile,
            Integer rateLimit,
            Integer requestBudget,
            List<IdentityInput> identities)
            implements ProjectFields {}

    record ArchiveProjectInput(String id) {}

    record ProjectPayload(Project project, List<UserError> errors) {}
}
