package io.ventiapi.platform.spec;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Keysets;
import io.ventiapi.platform.common.NestedPages;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.TenantQuotas;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.spec.internal.ParseTurns;
import io.ventiapi.platform.spec.internal.SpecDocumentParser;
import io.ventiapi.platform.spec.internal.SpecDocumentStore;
import io.ventiapi.platform.spec.internal.SpecFetcher;
import io.ventiapi.platform.spec.internal.SpecVersionRepository;
import io.ventiapi.tenancy.Tenancy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Documents of the bound tenant's projects. Giving one needs {@code projects:write}, reading
 * {@code projects:read}. Parsing and fetching happen outside any transaction: neither holds a
 * database connection while it works.
 */
@Service
@EnableConfigurationProperties(SpecProperties.class)
public class SpecService {

    private static final String READ = "hasAuthority('SCOPE_" + Scopes.PROJECTS_READ + "')";
    private static final String WRITE = "hasAuthority('SCOPE_" + Scopes.PROJECTS_WRITE + "')";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<SpecProblem>> PROBLEMS = new TypeReference<>() {};

    private final ProjectService projects;
    private final SpecVersionRepository versions;
    private final SpecDocumentStore documents;
    private final SpecDocumentParser parser = new SpecDocumentParser();
    /**
     * Spec URLs fetched at once, across tenants: each fetch holds up to {@code venti.specs.max-bytes}
     * in memory for up to {@code venti.specs.fetch-timeout}, and without a limit the request threads
     * times 10 MB was gigabytes.
     */
    static final int FETCHES_AT_ONCE = 8;
    /** Of those, the most one tenant holds: the others' imports are not left waiting on its slow servers. */
    static final int FETCHES_PER_TENANT = 2;

    private final ParseTurns parsing;
    private final ParseTurns fetching;
    private final SpecFetcher fetcher;
    private final SpecProperties limits;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    private final TenantQuotas quotas;

    SpecService(
            ProjectService projects,
            SpecVersionRepository versions,
            SpecDocumentStore documents,
            OutboundUrlPolicy outbound,
            SpecProperties limits,
            AuditLog audit,
            JdbcClient jdbc,
            TransactionTemplate tx,
            TenantQuotas quotas,
            ObjectProvider<Clock> clock) {
        this.quotas = quotas;
        this.projects = projects;
        this.versions = versions;
        this.documents = documents;
        this.fetcher = new SpecFetcher(outbound, limits);
        this.limits = limits;
        // A tenant's documents take at most half the turns, so its queue does not delay the others'.
        int checksAtOnce = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.parsing = new ParseTurns(
                checksAtOnce,
                Math.max(1, checksAtOnce / 2),
                limits.parseWait(),
                "other documents are being checked: send it again shortly");
        this.fetching = new ParseTurns(
                FETCHES_AT_ONCE,
                FETCHES_PER_TENANT,
                limits.parseWait(),
                "other documents are being fetched: send it again shortly");
        this.audit = audit;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Gives a project a document uploaded as text. */
    @PreAuthorize(WRITE)
    public SpecImport upload(UUID projectId, String content) {
        projects.requireActive(projectId);
        return accept(projectId, content, SpecSource.UPLOAD, null);
    }

    /** Gives a project the document at {@code url}, fetched through the outbound guard. */
    @PreAuthorize(WRITE)
    public SpecImport importFromUrl(UUID projectId, String url) {
        projects.requireActive(projectId);
        var fetched = fetching.run(Tenancy.current().value(), () -> fetcher.fetch(url));
        return accept(
                projectId, fetched.content(), SpecSource.URL, fetched.finalUrl().toString());
    }

    private static final String POSITION = "position";

    private static final Sort NEWEST_FIRST = Sort.by("version", "id").descending();

    /** Which page of a project's versions, newest first, a field asks for, its cursor checked. */
    public static NestedPages.Page versionsPage(UUID projectId, ScrollPosition position, Limit limit) {
        return NestedPages.Page.of(projectId, Keysets.checked(position, NEWEST_FIRST, SpecVersion.class), limit.max());
    }

    /** The pages asked for; pages of several projects asked from the same place are read together. */
    @PreAuthorize(READ)
    public Map<NestedPages.Page, Window<SpecVersion>> versions(Collection<NestedPages.Page> pages) {
        return tx.execute(status -> NestedPages.read(
                pages,
                (projectIds, after, rows) -> versions
                        .findPages(
                                Tenancy.current().value(),
                                projectIds,
                                after.isEmpty(),
                                (Integer) after.getOrDefault("version", 0),
                                (UUID) after.getOrDefault("id", new UUID(0, 0)),
                                rows)
                        .stream()
                        .collect(Collectors.groupingBy(SpecVersion::getProjectId)),
                Function.identity(),
                version -> Map.of("version", version.getVersion(), "id", version.getId())));
    }

    /** The newest version of each project that has one. */
    @PreAuthorize(READ)
    public Map<UUID, SpecVersion> latest(Collection<UUID> projectIds) {
        return tx.execute(status -> versions.findLatest(projectIds).stream()
                .collect(Collectors.toMap(SpecVersion::getProjectId, Function.identity())));
    }

    /**
     * The newest version of a project, for starting a scan; callers authorize their own callers
     * (starting a scan needs {@code scans:write}, not {@code projects:read}).
     */
    @PreAuthorize("isAuthenticated()")
    public Optional<SpecVersion> latestOf(UUID projectId) {
        return tx.execute(status -> versions.findFirstByProjectIdOrderByVersionDesc(projectId));
    }

    /** A version's document, for the scan pipeline that hands it to a scanner. */
    @PreAuthorize("hasAuthority('SCOPE_" + Scopes.SCANS_WRITE + "')")
    public Optional<String> document(UUID versionId) {
        return tx.execute(status -> documents.content(versionId));
    }

    /** Which page of a version's operations a field asks for, its cursor checked. */
    public static NestedPages.Page operationsPage(UUID versionId, ScrollPosition position, Limit limit) {
        return NestedPages.Page.of(versionId, Keysets.checked(position, Map.of(POSITION, Integer.class)), limit.max());
    }

    /** The pages asked for, in document order; pages asked from the same place are read together. */
    @PreAuthorize(READ)
    public Map<NestedPages.Page, Window<SpecOperation>> operations(Collection<NestedPages.Page> pages) {
        return tx.execute(status -> NestedPages.read(
                pages,
                (versionIds, after, rows) ->
                        documents.operations(versionIds, (Integer) after.getOrDefault(POSITION, -1), rows),
                SpecDocumentStore.Positioned::operation,
                row -> Map.of(POSITION, row.position())));
    }

    /** What did not prevent a version's acceptance but is worth knowing. */
    public static List<SpecProblem> warnings(SpecVersion version) {
        return JSON.readValue(version.getWarningsJson(), PROBLEMS);
    }

    private SpecImport accept(UUID projectId, String document, SpecSource source, String fetchedFrom) {
        // A query string may carry an access token (a presigned URL): readers see where, not how.
        var sourceUrl = fetchedFrom == null ? null : fetchedFrom.replaceFirst("[?#].*$", "");
        // A byte order mark is no part of the document, and a scanner reading JSON behind one would
        // take it for YAML: it is neither checked, nor hashed, nor stored.
        var content = document != null && document.startsWith("\uFEFF") ? document.substring(1) : document;
        if (content == null || content.isBlank()) {
            throw UserErrorException.invalid("content", "the document is empty");
        }
        var bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limits.maxBytes()) {
            throw UserErrorException.invalid(
                    source == SpecSource.URL ? "url" : "content",
                    "the document is " + bytes.length + " bytes; the limit is " + limits.maxBytes());
        }
        var hash = sha256(bytes);
        var known = tx.execute(status -> versions.findByProjectIdAndContentHash(projectId, hash));
        if (known.isPresent()) {
            return new SpecImport(known.get(), false, List.of());
        }
        var result = parse(content);
        if (result instanceof SpecDocumentParser.Refused refused) {
            return SpecImport.refused(refused.problems());
        }
        var parsed = (SpecDocumentParser.Parsed) result;
        return tx.execute(status -> {
            // One writer per project at a time, so version numbers and the hash check cannot race.
            jdbc.sql("select pg_advisory_xact_lock(hashtext('spec:' || ?))")
                    .param(projectId.toString())
                    .query()
                    .singleValue();
            var again = versions.findByProjectIdAndContentHash(projectId, hash);
            if (again.isPresent()) {
                return new SpecImport(again.get(), false, List.of());
            }
            int number = versions.findFirstByProjectIdOrderByVersionDesc(projectId)
                            .map(SpecVersion::getVersion)
                            .orElse(0)
                    + 1;
            var plan = quotas.plan();
            if (number > plan.specVersions()) {
                // Versions are kept for good: a project uploading a changed document on every
                // build would otherwise keep growing the tenant's storage without end.
                throw UserErrorException.conflict("project " + projectId + " keeps " + plan.specVersions()
                        + " spec versions, the most its tenant's " + plan + " plan allows (the same document"
                        + " again adds none): scan this API from a new project");
            }
            var version = versions.saveAndFlush(new SpecVersion(
                    projectId,
                    number,
                    hash,
                    parsed.openapiVersion(),
                    parsed.title(),
                    source,
                    sourceUrl,
                    bytes.length,
                    parsed.operations().size(),
                    JSON.writeValueAsString(parsed.warnings()),
                    Instant.now(clock)));
            documents.save(version.getId(), content, parsed.operations());
            var summary = new LinkedHashMap<String, Object>();
            summary.put("projectId", projectId.toString());
            summary.put("version", number);
            summary.put("contentHash", hash);
            summary.put("sizeBytes", bytes.length);
            summary.put("operationCount", parsed.operations().size());
            if (sourceUrl != null) {
                summary.put("url", sourceUrl);
            }
            audit.record(
                    source == SpecSource.URL ? "spec.import" : "spec.upload",
                    "SpecVersion",
                    version.getId().toString(),
                    summary);
            return new SpecImport(version, true, List.of());
        });
    }

    private SpecDocumentParser.Result parse(String content) {
        return parsing.run(Tenancy.current().value(), () -> parser.parse(content));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
