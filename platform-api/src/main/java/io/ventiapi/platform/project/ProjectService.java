package io.ventiapi.platform.project;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.TenantQuotas;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.project.internal.IdentityVault;
import io.ventiapi.platform.project.internal.ProjectIdentityRepository;
import io.ventiapi.platform.project.internal.ProjectRepository;
import io.ventiapi.tenancy.Tenancy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Projects of the bound tenant. Reading needs {@code projects:read}, changing {@code
 * projects:write}. Secrets of identities go in sealed and never come out through here.
 */
@Service
public class ProjectService {

    private static final Logger log = LoggerFactory.getLogger(ProjectService.class);

    static final String READ = "hasAuthority('SCOPE_" + Scopes.PROJECTS_READ + "')";
    private static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("[a-z0-9_-]{1,40}");
    static final String WRITE = "hasAuthority('SCOPE_" + Scopes.PROJECTS_WRITE + "')";

    private static final Set<String> SCANNER_KINDS = Set.of("venti", "zap", "custom");
    /** Registry host and port, path, then a tag and/or a digest (Docker's reference grammar, simplified). */
    private static final Pattern IMAGE_REFERENCE =
            Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final int MAX_IDENTITIES = 20;
    private static final int MAX_URL = 2000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProjectRepository projects;
    private final ProjectIdentityRepository identities;
    private final IdentityVault vault;
    private final OutboundUrlPolicy outbound;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    private final TenantQuotas quotas;

    ProjectService(
            ProjectRepository projects,
            ProjectIdentityRepository identities,
            IdentityVault vault,
            OutboundUrlPolicy outbound,
            AuditLog audit,
            ApplicationEventPublisher events,
            TenantQuotas quotas,
            ObjectProvider<Clock> clock) {
        this.quotas = quotas;
        this.projects = projects;
        this.identities = identities;
        this.vault = vault;
        this.outbound = outbound;
        this.audit = audit;
        this.events = events;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Window<Project> list(ScrollPosition position, Limit limit, boolean includeArchived) {
        var sort = Sort.by("createdAt", "id");
        var checked = Keysets.checked(position, sort, Project.class);
        return includeArchived
                ? projects.findAllBy(checked, limit, sort)
                : projects.findAllByArchivedAtIsNull(checked, limit, sort);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Optional<Project> find(UUID id) {
        return projects.findById(id);
    }

    /**
     * The project, held against changes until the caller's transaction ends: a scan's dispatch
     * reads its target and then its identities' secrets, and an update committing in between would
     * pair the old target with secrets sealed for the new one.
     */
    @Transactional
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public Optional<Project> findHeld(UUID id) {
        return projects.findForShare(id);
    }

    /** The projects with these ids, in no particular order; ids of other tenants find nothing. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public List<Project> findAll(Collection<UUID> ids) {
        return projects.findByIds(Tenancy.current().value(), ids);
    }

    /**
     * A live project, for features that attach work to it (specs, scans); archived ones refuse.
     * Those features' services authorize their callers (starting a scan needs {@code
     * scans:write}, not {@code projects:read}).
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public Project requireActive(UUID id) {
        // Held until the caller's transaction ends: the project is not archived meanwhile.
        var project = projects.findForShare(id).orElseThrow(() -> UserErrorException.notFound("project", id));
        if (project.isArchived()) {
            throw UserErrorException.conflict("project " + id + " is archived");
        }
        return project;
    }

    /** The identities of each project, in their given order. */
    @Transactional(readOnly = true)
    @PreAuthorize(READ)
    public Map<UUID, List<TestIdentity>> identities(Collection<UUID> projectIds) {
        return identities.findByProjectIdInOrderByProjectIdAscPositionAsc(projectIds).stream()
                .map(ProjectService::view)
                .collect(Collectors.groupingBy(TestIdentity::projectId, LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * The project's identities with their secrets opened, in their given order: for the scan
     * pipeline only, which hands them to the scanner of a scan being dispatched.
     */
    // An identity that does not open fails the dispatch of one scan, not the caller's transaction
    // (the outbox relay's, which dispatches other scans with it).
    @Transactional(readOnly = true, noRollbackFor = IllegalStateException.class)
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public List<ScanCredential> scanCredentials(UUID projectId) {
        var project = projects.findById(projectId).orElseThrow(() -> UserErrorException.notFound("project", projectId));
        return identities.findByProjectIdOrderByPositionAsc(projectId).stream()
                .map(identity -> {
                    IdentityVault.Secret secret;
                    try {
                        secret = open(project, identity);
                    } catch (IllegalStateException e) {
                        // Why (a master key id, an operator's setting) is for the operator, not for the tenant.
                        log.warn(
                                "Identity {} of project {} does not open: {}",
                                identity.getName(),
                                projectId,
                                e.getMessage());
                        throw new SecretNeeded(identity, e);
                    }
                    return new ScanCredential(
                            identity.getName(),
                            identity.getKind(),
                            settingsOf(identity),
                            secret.secret(),
                            secret.loginFields());
                })
                .toList();
    }

    /**
     * The secret values of the project's identities (secrets, a basic identity's user name and
     * password as its header sends them, and the password of a login flow),
     * for keeping them out of stored evidence and failure reasons. A login's user name is no
     * secret, and evidence of who saw what needs it. An identity that does not open (sealed with a
     * master key no longer configured) is left out and logged, not thrown: the caller's
     * transaction goes on.
     */
    @Transactional(readOnly = true)
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public List<String> identitySecrets(UUID projectId) {
        var project = projects.findById(projectId);
        if (project.isEmpty()) {
            return List.of();
        }
        var secrets = new ArrayList<String>();
        for (var identity : identities.findByProjectIdOrderByPositionAsc(projectId)) {
            try {
                // Redaction sends nothing anywhere: whatever binding sealed it, its value is kept out.
                var secret = openAsSealed(identity, stored(Destination.of(project.get()), identity));
                if (secret.secret() != null) {
                    secrets.add(secret.secret());
                }
                if (identity.getKind() == IdentityKind.BASIC && secret.secret() != null) {
                    // As its header sends it, which a target may echo without the word Basic.
                    secrets.add(java.util.Base64.getEncoder()
                            .encodeToString((settingsOf(identity).username() + ":" + secret.secret())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
                secret.loginFields().forEach((field, value) -> {
                    if (isPasswordField(field)) {
                        secrets.add(value);
                    }
                });
            } catch (IllegalStateException e) {
                log.warn("Identity {} of project {} does not open: {}", identity.getName(), projectId, e.getMessage());
            }
        }
        return secrets;
    }

    /**
     * Opens an identity's secret for where the project now sends it. One sealed before its binding
     * ({@link IdentityVault.Binding#VERSION}) opens only to be sealed again with it.
     *
     * @throws IllegalStateException if it does not open: sealed with a master key not configured,
     *     bound to another destination, or not yet sealed with its binding
     */
    private IdentityVault.Secret open(Project project, ProjectIdentity identity) {
        if (identity.getSealedBinding() < IdentityVault.Binding.VERSION) {
            vault.requireKey(identity.getName(), identity.getEncryptionKeyId());
            throw new IllegalStateException("identity " + identity.getName()
                    + " is sealed as an earlier version did, and is sealed again at the platform's next start");
        }
        return vault.open(
                stored(Destination.of(project), identity), identity.getEncryptionKeyId(), identity.getSecretSealed());
    }

    /** Opens a stored secret as it was sealed, whichever binding sealed it, bound as {@code binding}. */
    private IdentityVault.Secret openAsSealed(ProjectIdentity identity, IdentityVault.Binding binding) {
        return identity.getSealedBinding() < IdentityVault.Binding.VERSION
                ? vault.openUnbound(binding, identity.getEncryptionKeyId(), identity.getSecretSealed())
                : vault.open(binding, identity.getEncryptionKeyId(), identity.getSecretSealed());
    }

    /**
     * Where a project's secrets go: its target, and the custom scanner image that receives them
     * ({@code ""} when the project runs none).
     */
    private record Destination(String targetUrl, String customImage) {

        static Destination of(Project project) {
            return new Destination(
                    project.getTargetUrl(),
                    project.getScannerKinds().contains("custom")
                            ? java.util.Objects.toString(project.getCustomScannerImage(), "")
                            : "");
        }
    }

    /** What a stored identity's secret is bound to, were the project's secrets to go to {@code destination}. */
    private static IdentityVault.Binding stored(Destination destination, ProjectIdentity identity) {
        return binding(
                destination, identity.getProjectId(), identity.getName(), identity.getKind(), settingsOf(identity));
    }

    /**
     * What a secret is bound to: where it goes (the target, a custom scanner image, and for an
     * OAuth2 identity its token URL).
     */
    private static IdentityVault.Binding binding(
            Destination destination, UUID projectId, String name, IdentityKind kind, IdentitySettings settings) {
        var tokenOrigin = kind == IdentityKind.OAUTH2_CLIENT_CREDENTIALS && settings.tokenUrl() != null
                ? origin(URI.create(settings.tokenUrl()))
                : "";
        return new IdentityVault.Binding(
                Tenancy.current().value(),
                projectId,
                name,
                kind,
                origin(URI.create(destination.targetUrl())),
                tokenOrigin,
                destination.customImage());
    }

    private static String origin(URI url) {
        return url.getScheme().toLowerCase(java.util.Locale.ROOT) + "://"
                + url.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + effectivePort(url);
    }

    private static IdentitySettings settingsOf(ProjectIdentity identity) {
        return JSON.readValue(identity.getSettingsJson(), IdentitySettings.class);
    }

    /**
     * Seals again the bound tenant's identities that a previous master key or an earlier binding
     * sealed (see {@code MasterKey} and {@link IdentityVault.Binding}) with the current ones, each
     * audited. Returns how many.
     */
    @Transactional
    @PreAuthorize(WRITE)
    public int resealIdentities() {
        int resealed = 0;
        var sealedOtherwise = identities.findSealedOtherwise(vault.keyId(), IdentityVault.Binding.VERSION);
        var targets = projects
                .findByIds(
                        Tenancy.current().value(),
                        sealedOtherwise.stream()
                                .map(ProjectIdentity::getProjectId)
                                .toList())
                .stream()
                .collect(Collectors.toMap(Project::getId, Destination::of));
        for (var identity : sealedOtherwise) {
            var previous = identity.getEncryptionKeyId();
            if (!previous.equals(vault.keyId()) && !vault.isPrevious(previous)) {
                continue; // sealed with a key that is not configured: opening it says so
            }
            var binding = stored(targets.get(identity.getProjectId()), identity);
            IdentityVault.Secret secret;
            try {
                secret = openAsSealed(identity, binding);
            } catch (IllegalStateException e) {
                // Altered, or bound elsewhere: left as it is (a scan using it fails saying so), and
                // the tenant's other identities are sealed again all the same.
                log.warn(
                        "Identity {} of project {} does not open, not sealed again: {}",
                        identity.getName(),
                        identity.getProjectId(),
                        e.getMessage());
                continue;
            }
            var summary = new LinkedHashMap<String, Object>();
            summary.put("identity", identity.getName());
            summary.put("fromKey", previous);
            summary.put("toKey", vault.keyId());
            summary.put("fromBinding", identity.getSealedBinding());
            summary.put("toBinding", IdentityVault.Binding.VERSION);
            identity.reseal(vault.seal(binding, secret), vault.keyId());
            audit.record(
                    "project.identity.reseal",
                    "Project",
                    identity.getProjectId().toString(),
                    summary);
            resealed++;
        }
        return resealed;
    }

    /**
     * The tenants holding identities {@link #resealIdentities} would seal again, read across
     * every tenant: for the platform's start.
     */
    @Transactional(readOnly = true)
    @PreAuthorize(WRITE)
    public List<String> tenantsToReseal() {
        return identities.tenantsSealedOtherwise(vault.keyId(), IdentityVault.Binding.VERSION);
    }

    @Transactional
    @PreAuthorize(WRITE)
    public Project create(ProjectDraft draft) {
        quotas.requireRoom(TenantQuotas.Quota.PROJECTS, projects::countByArchivedAtIsNull);
        var name = requireName(draft.name());
        if (projects.existsByNameIgnoreCaseAndArchivedAtIsNull(name)) {
            throw UserErrorException.conflict("a project named " + name + " exists");
        }
        var project = new Project(Instant.now(clock));
        project.configure(
                name,
                requireTargetUrl(draft.targetUrl()),
                environment(draft.environment() == null ? "production" : draft.environment()),
                scannerKinds(draft.scannerKinds() == null ? List.of("venti") : draft.scannerKinds()),
                draft.customScannerImage(),
                draft.defaultProfile() == null ? ScanProfile.SAFE : draft.defaultProfile(),
                rateLimit(draft.rateLimit() == null ? 10 : draft.rateLimit()),
                requestBudget(draft.requestBudget() == null ? 10_000 : draft.requestBudget()),
                Instant.now(clock));
        requireImageOfCustomScanner(project);
        saveNamed(project);
        var identityNames = replaceIdentities(
                project,
                draft.identities() == null ? List.of() : draft.identities(),
                List.of(),
                Destination.of(project),
                false);
        audit.record("project.create", "Project", project.getId().toString(), summary(project, identityNames));
        return project;
    }

    @Transactional
    @PreAuthorize(WRITE)
    public Project update(UUID id, ProjectDraft changes) {
        var project = projects.findForUpdate(id).orElseThrow(() -> UserErrorException.notFound("project", id));
        if (project.isArchived()) {
            throw UserErrorException.conflict("project " + id + " is archived");
        }
        var name = changes.name() == null ? project.getName() : requireName(changes.name());
        var previous = Destination.of(project);
        if (!name.equalsIgnoreCase(project.getName())
                && projects.existsByNameIgnoreCaseAndArchivedAtIsNullAndIdNot(name, id)) {
            throw UserErrorException.conflict("a project named " + name + " exists");
        }
        project.configure(
                name,
                changes.targetUrl() == null ? project.getTargetUrl() : requireTargetUrl(changes.targetUrl()),
                changes.environment() == null ? project.getEnvironment() : environment(changes.environment()),
                changes.scannerKinds() == null ? project.getScannerKinds() : scannerKinds(changes.scannerKinds()),
                changes.customScannerImage() == null
                        ? project.getCustomScannerImage()
                        : changes.customScannerImage().isBlank() ? null : changes.customScannerImage(),
                changes.defaultProfile() == null ? project.getDefaultProfile() : changes.defaultProfile(),
                changes.rateLimit() == null ? project.getRateLimit() : rateLimit(changes.rateLimit()),
                changes.requestBudget() == null ? project.getRequestBudget() : requestBudget(changes.requestBudget()),
                Instant.now(clock));
        requireImageOfCustomScanner(project);
        saveNamed(project);
        // Whoever may edit a project may not read its secrets: a stored secret only goes to the host
        // it was entered for, and to the scanner image it was entered with, so moving the target
        // elsewhere or handing the secrets to another custom image needs every secret given again.
        boolean targetMoved = movedAway(URI.create(previous.targetUrl()), URI.create(project.getTargetUrl()));
        var image = Destination.of(project).customImage();
        // No custom scanner any more: no image receives them, and they are sealed again for that.
        boolean moved = targetMoved || !(image.isEmpty() || image.equals(previous.customImage()));
        var stored = identities.findByProjectIdOrderByPositionAsc(id);
        List<String> identityNames;
        if (changes.identities() == null) {
            if (moved && !stored.isEmpty()) {
                throw UserErrorException.invalid(
                        targetMoved ? "targetUrl" : "customScannerImage",
                        (targetMoved ? "the target moves to another host" : "another custom scanner would run")
                                + ": give the identities again with their secrets, which only go where they were"
                                + " entered for");
            }
            for (int i = 0; i < stored.size(); i++) {
                var identity = stored.get(i);
                rebind(identity, previous, project, settingsOf(identity), "identities[" + i + "]");
            }
            identityNames = stored.stream().map(ProjectIdentity::getName).toList();
        } else {
            identityNames = replaceIdentities(project, changes.identities(), stored, previous, moved);
        }
        audit.record("project.update", "Project", id.toString(), summary(project, identityNames));
        return project;
    }

    /**
     * Archives a project: it keeps its history but takes no new specs or scans, and frees its name.
     * Its queued and running scans are cancelled in the same transaction ({@link ProjectArchived}).
     */
    @Transactional
    @PreAuthorize(WRITE)
    public Project archive(UUID id) {
        var project = projects.findForUpdate(id).orElseThrow(() -> UserErrorException.notFound("project", id));
        if (project.isArchived()) {
            throw UserErrorException.conflict("project " + id + " is already archived");
        }
        project.archive(Instant.now(clock));
        audit.record("project.archive", "Project", id.toString(), Map.of("name", project.getName()));
        events.publishEvent(new ProjectArchived(id));
        return project;
    }

    /**
     * Saves the project now, so that a name another transaction took since the check (or one the
     * check's case folding missed) is refused as taken, not failed at commit.
     */
    private void saveNamed(Project project) {
        try {
            projects.saveAndFlush(project);
        } catch (DataIntegrityViolationException e) {
            if (!(e.getMostSpecificCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState()))) {
                throw e;
            }
            throw UserErrorException.conflict("a project named " + project.getName() + " exists");
        }
    }

    /**
     * Whether secrets entered for {@code from} would now go elsewhere: another host, another port
     * of it (another service), or the same host in clear text.
     */
    public static boolean movedAway(URI from, URI to) {
        return !from.getHost().equalsIgnoreCase(to.getHost())
                || effectivePort(from) != effectivePort(to)
                || (from.getScheme().equalsIgnoreCase("https")
                        && !to.getScheme().equalsIgnoreCase("https"));
    }

    /** The port a URL connects to: its own, or its scheme's. */
    public static int effectivePort(URI url) {
        return url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static boolean tokenUrlMovedAway(ProjectIdentity existing, IdentitySettings settings) {
        var before = JSON.readValue(existing.getSettingsJson(), IdentitySettings.class)
                .tokenUrl();
        var after = settings.tokenUrl();
        if (before == null || after == null) {
            return !java.util.Objects.equals(before, after);
        }
        return movedAway(URI.create(before), URI.create(after));
    }

    /**
     * @param previous where the stored identities' secrets were sealed for
     * @param moved the secrets would go elsewhere (see {@link #update}): no stored secret is kept
     */
    private List<String> replaceIdentities(
            Project project,
            List<IdentityDraft> drafts,
            List<ProjectIdentity> stored,
            Destination previous,
            boolean moved) {
        if (drafts.size() > MAX_IDENTITIES) {
            throw UserErrorException.invalid("identities", "at most " + MAX_IDENTITIES + " identities per project");
        }
        var byName = new HashMap<String, ProjectIdentity>();
        stored.forEach(identity -> byName.put(identity.getName(), identity));
        var seen = new HashSet<String>();
        var kept = new ArrayList<ProjectIdentity>();
        var now = Instant.now(clock);
        for (int i = 0; i < drafts.size(); i++) {
            var draft = drafts.get(i);
            var field = "identities[" + i + "]";
            var name = draft.name() == null ? "" : draft.name().strip();
            if (name.isEmpty() || name.length() > 60 || holdsControlCharacters(name)) {
                throw UserErrorException.invalid(
                        field + ".name", "an identity name is 1-60 characters, none of them control characters");
            }
            if (!seen.add(name)) {
                throw UserErrorException.invalid(field + ".name", "two identities are named " + name);
            }
            if (draft.kind() == null) {
                throw UserErrorException.invalid(field + ".kind", "say which kind of identity " + name + " is");
            }
            var settings = settings(draft, field);
            var existing = byName.remove(name);
            byte[] sealed;
            String keyId;
            String hint;
            if (draft.hasSecret()) {
                var secret = secret(draft, field);
                sealed = vault.seal(
                        binding(Destination.of(project), project.getId(), name, draft.kind(), settings), secret);
                keyId = vault.keyId();
                hint = secret.hint(draft.kind());
            } else if (existing != null
                    && existing.getKind() == draft.kind()
                    && !moved
                    && !tokenUrlMovedAway(existing, settings)) {
                // The caller never sees the secret, so leaving it out means "keep it".
                rebind(existing, previous, project, settings, field);
                sealed = existing.getSecretSealed();
                keyId = existing.getEncryptionKeyId();
                hint = existing.getSecretHint();
            } else {
                throw UserErrorException.invalid(
                        field + ".secret",
                        "identity " + name + " needs its " + secretName(draft.kind())
                                + (existing == null || existing.getKind() != draft.kind()
                                        ? ""
                                        : ": the secret it has only goes where it was entered for, and that changed"));
            }
            var identity = existing == null ? new ProjectIdentity(project.getId(), name, draft.kind()) : existing;
            identity.update(i, draft.kind(), JSON.writeValueAsString(settings), sealed, keyId, hint, now);
            kept.add(identity);
        }
        identities.deleteAll(byName.values());
        identities.flush();
        identities.saveAll(kept);
        return kept.stream().map(ProjectIdentity::getName).toList();
    }

    /**
     * Keeps a stored secret for the project as it now is: sealed again when what it is bound to
     * changed within the same service (say, http to https), or an earlier binding sealed it.
     */
    private void rebind(
            ProjectIdentity identity, Destination previous, Project project, IdentitySettings settings, String field) {
        var from = stored(previous, identity);
        var to = binding(Destination.of(project), project.getId(), identity.getName(), identity.getKind(), settings);
        if (identity.getSealedBinding() == IdentityVault.Binding.VERSION && from.equals(to)) {
            return;
        }
        IdentityVault.Secret secret;
        try {
            secret = openAsSealed(identity, from);
        } catch (IllegalStateException e) {
            // Why (a master key id, an operator's setting) is for the operator, not for the tenant.
            log.warn(
                    "Identity {} of project {} does not open: {}", identity.getName(), project.getId(), e.getMessage());
            throw UserErrorException.invalid(field + ".secret", new SecretNeeded(identity, e).getMessage());
        }
        identity.reseal(vault.seal(to, secret), vault.keyId());
    }

    private IdentitySettings settings(IdentityDraft draft, String field) {
        var given = draft.settings() == null
                ? new IdentitySettings(null, null, null, null, null, null, null, null, null, null)
                : draft.settings();
        var settings = field + ".settings";
        var role = given.role() == null || given.role().isBlank()
                ? null
                : given.role().strip().toLowerCase(java.util.Locale.ROOT);
        if (role != null && !ROLE.matcher(role).matches()) {
            throw UserErrorException.invalid(
                    settings + ".role", "a role is 1-40 letters, digits, '-' or '_', e.g. user or admin");
        }
        return kindSettings(draft, given, settings).withRole(role);
    }

    private IdentitySettings kindSettings(IdentityDraft draft, IdentitySettings given, String settings) {
        return switch (draft.kind()) {
            case API_KEY -> {
                if (given.apiKeyIn() == null) {
                    throw UserErrorException.invalid(settings + ".apiKeyIn", "say where the API key goes");
                }
                if (given.apiKeyName() == null
                        || !HEADER_NAME.matcher(given.apiKeyName()).matches()) {
                    throw UserErrorException.invalid(
                            settings + ".apiKeyName",
                            "name the header, query parameter or cookie (1-100 token characters)");
                }
                yield new IdentitySettings(
                        given.apiKeyIn(), given.apiKeyName(), null, null, null, null, null, null, null, null);
            }
            case BEARER -> new IdentitySettings(null, null, null, null, null, null, null, null, null, null);
            case BASIC -> {
                if (given.username() == null
                        || given.username().isBlank()
                        || given.username().length() > 200
                        || given.username().contains(":")
                        || holdsControlCharacters(given.username())) {
                    throw UserErrorException.invalid(
                            settings + ".username",
                            "basic authentication needs a username of 1-200 characters, without ':' or control"
                                    + " characters");
                }
                yield new IdentitySettings(null, null, given.username(), null, null, null, null, null, null, null);
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                var tokenUri = requireHttpUrl(given.tokenUrl(), settings + ".tokenUrl");
                // The scanner posts the client's credentials there: the same guard as the target.
                outbound.check(tokenUri, settings + ".tokenUrl");
                var tokenUrl = tokenUri.toString();
                if (given.clientId() == null
                        || given.clientId().isBlank()
                        || given.clientId().length() > 500
                        || holdsControlCharacters(given.clientId())) {
                    throw UserErrorException.invalid(
                            settings + ".clientId",
                            "client credentials need a client id of 1-500 characters, none of them control characters");
                }
                if (given.scope() != null && (given.scope().length() > 1000 || holdsControlCharacters(given.scope()))) {
                    throw UserErrorException.invalid(
                            settings + ".scope", "a scope is at most 1000 characters, none of them control characters");
                }
                yield new IdentitySettings(
                        null, null, null, tokenUrl, given.clientId(), given.scope(), null, null, null, null);
            }
            case LOGIN_FLOW -> {
                if (given.loginPath() == null
                        || !given.loginPath().startsWith("/")
                        || given.loginPath().length() > 2000
                        || holdsControlCharacters(given.loginPath())) {
                    throw UserErrorException.invalid(
                            settings + ".loginPath", "the login operation's path on the target, starting with /");
                }
                var method = given.loginMethod() == null
                        ? "POST"
                        : given.loginMethod().toUpperCase();
                if (!List.of("POST", "PUT", "GET").contains(method)) {
                    throw UserErrorException.invalid(settings + ".loginMethod", "a login is a POST, PUT or GET");
                }
                if (given.tokenPointer() != null
                        && (!given.tokenPointer().startsWith("/")
                                || given.tokenPointer().length() > 500
                                || holdsControlCharacters(given.tokenPointer()))) {
                    throw UserErrorException.invalid(settings + ".tokenPointer", "a JSON pointer such as /data/token");
                }
                yield new IdentitySettings(
                        null, null, null, null, null, null, method, given.loginPath(), given.tokenPointer(), null);
            }
        };
    }

    private static IdentityVault.Secret secret(IdentityDraft draft, String field) {
        if (draft.kind() == IdentityKind.LOGIN_FLOW) {
            requireLoginFields(draft.loginFields(), field + ".loginFields");
            return new IdentityVault.Secret(null, draft.loginFields());
        }
        if (draft.secret() == null
                || draft.secret().isEmpty()
                || draft.secret().length() > 8192
                || holdsControlCharacters(draft.secret())) {
            throw UserErrorException.invalid(
                    field + ".secret",
                    "the " + secretName(draft.kind()) + " is 1-8192 characters, none of them control characters");
        }
        return new IdentityVault.Secret(draft.secret(), Map.of());
    }

    /**
     * The two fields the scanner logs in with: a user name and a password, the one whose name says
     * "pass" (docs/engine/cli.md, {@code type=login}).
     */
    private static void requireLoginFields(Map<String, String> fields, String field) {
        var problem = "a login flow needs two login fields, a user name and a password (its name holding 'pass'),"
                + " each named with 1-100 token characters and valued with 1-8192 characters, none of them control"
                + " characters";
        if (fields == null || fields.size() != 2) {
            throw UserErrorException.invalid(field, problem);
        }
        int passwords = 0;
        for (var entry : fields.entrySet()) {
            if (entry.getKey() == null
                    || !HEADER_NAME.matcher(entry.getKey()).matches()
                    || entry.getValue() == null
                    || entry.getValue().isEmpty()
                    || entry.getValue().length() > 8192
                    || holdsControlCharacters(entry.getValue())) {
                throw UserErrorException.invalid(field, problem);
            }
            if (isPasswordField(entry.getKey())) {
                passwords++;
            }
        }
        if (passwords != 1) {
            throw UserErrorException.invalid(field, problem);
        }
    }

    /** The login field the scanner sends as the password: its name holds "pass". */
    private static boolean isPasswordField(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).contains("pass");
    }

    /**
     * Line breaks and other control characters: no credential holds one, and the scanner's identity
     * lines (a custom scanner's file holds one per line) must not be split by a value.
     */
    private static boolean holdsControlCharacters(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /**
     * An identity whose stored secret does not open (ADR 6): its message tells the tenant to enter it
     * again; its cause says why, for the operator.
     */
    public static final class SecretNeeded extends IllegalStateException {
        SecretNeeded(ProjectIdentity identity, IllegalStateException why) {
            super(
                    "identity " + identity.getName() + " needs its " + secretName(identity.getKind())
                            + " again: the one stored does not open",
                    why);
        }
    }

    private static String secretName(IdentityKind kind) {
        return switch (kind) {
            case API_KEY -> "API key";
            case BEARER -> "bearer token";
            case BASIC -> "password";
            case OAUTH2_CLIENT_CREDENTIALS -> "client secret";
            case LOGIN_FLOW -> "login fields";
        };
    }

    private static TestIdentity view(ProjectIdentity identity) {
        return new TestIdentity(
                identity.getId(),
                identity.getProjectId(),
                identity.getName(),
                identity.getKind(),
                JSON.readValue(identity.getSettingsJson(), IdentitySettings.class),
                identity.getSecretHint(),
                identity.getUpdatedAt());
    }

    /** What the audit log keeps of a project: its settings and identity names, never a secret. */
    private static Map<String, Object> summary(Project project, List<String> identityNames) {
        var summary = new LinkedHashMap<String, Object>();
        summary.put("name", project.getName());
        summary.put("targetUrl", project.getTargetUrl());
        summary.put("environment", project.getEnvironment());
        summary.put("scannerKinds", project.getScannerKinds());
        if (project.getCustomScannerImage() != null) {
            summary.put("customScannerImage", project.getCustomScannerImage());
        }
        summary.put("defaultProfile", project.getDefaultProfile().name());
        summary.put("rateLimit", project.getRateLimit());
        summary.put("requestBudget", project.getRequestBudget());
        summary.put("identities", identityNames);
        return summary;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 120 || holdsControlCharacters(name)) {
            throw UserErrorException.invalid(
                    "name", "a project name is 1-120 characters, none of them control characters");
        }
        return name.strip();
    }

    private String requireTargetUrl(String url) {
        var uri = requireHttpUrl(url, "targetUrl");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // Operation paths are joined to it; a query string there is most often a credential,
            // which would sit in every reader's view and the audit log.
            throw UserErrorException.invalid(
                    "targetUrl",
                    "a target is a base URL without a query string or fragment: put credentials in an identity");
        }
        // Scans will connect there on the tenant's say-so: the same guard as any outbound URL.
        outbound.check(uri, "targetUrl");
        return uri.toString();
    }

    private static URI requireHttpUrl(String url, String field) {
        if (url != null && url.length() > MAX_URL) {
            throw UserErrorException.invalid(field, "a URL is at most " + MAX_URL + " characters");
        }
        try {
            var uri = new URI(url == null ? "" : url.strip());
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw UserErrorException.invalid(field, "an absolute http(s) URL is required");
            }
            if (uri.getUserInfo() != null) {
                throw UserErrorException.invalid(field, "put credentials in an identity, not in the URL");
            }
            // Scheme and host in lower case, as scanners compare them ("HTTPS://" failed every scan).
            return new URI(scheme
                    + "://"
                    + uri.getRawAuthority().toLowerCase(java.util.Locale.ROOT)
                    + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
        } catch (URISyntaxException e) {
            throw UserErrorException.invalid(field, "not a URL: " + e.getReason());
        }
    }

    private static String environment(String environment) {
        if (environment.isBlank() || environment.strip().length() > 40 || holdsControlCharacters(environment)) {
            throw UserErrorException.invalid(
                    "environment", "an environment label is 1-40 characters, none of them control characters");
        }
        return environment.strip();
    }

    /** The scanners a scan of the project runs, one after the other, in this order. */
    private static List<String> scannerKinds(List<String> kinds) {
        if (kinds.isEmpty()) {
            throw UserErrorException.invalid("scannerKinds", "name at least one scanner kind: venti, zap or custom");
        }
        for (var kind : kinds) {
            if (kind == null || !SCANNER_KINDS.contains(kind)) {
                throw UserErrorException.invalid("scannerKinds", "a scanner kind is venti, zap or custom, not " + kind);
            }
        }
        return kinds.stream().distinct().toList();
    }

    /**
     * The custom scanner runs the project's image: one must be set, be an image reference, and come
     * from a registry the platform pulls from ({@link OutboundUrlPolicy#checkImage}).
     */
    private void requireImageOfCustomScanner(Project project) {
        var image = project.getCustomScannerImage();
        if (image != null
                && (image.length() > 255 || !IMAGE_REFERENCE.matcher(image).matches())) {
            throw UserErrorException.invalid(
                    "customScannerImage",
                    "an image reference such as registry.example.com/acme/scanner:1.2 or …@sha256:<digest>");
        }
        if (image != null && project.getScannerKinds().contains("custom")) {
            outbound.checkImage(image, "customScannerImage");
        }
        if (image == null && project.getScannerKinds().contains("custom")) {
            throw UserErrorException.invalid(
                    "customScannerImage", "the custom scanner needs the image it runs (one that writes SARIF 2.1.0)");
        }
    }

    private static int rateLimit(int perSecond) {
        if (perSecond < 1 || perSecond > 1000) {
            throw UserErrorException.invalid("rateLimit", "a rate limit is 1-1000 requests per second");
        }
        return perSecond;
    }

    private static int requestBudget(int budget) {
        if (budget < 1 || budget > 1_000_000) {
            throw UserErrorException.invalid("requestBudget", "a request budget is 1-1,000,000 requests");
        }
        return budget;
    }
}
