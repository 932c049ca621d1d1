package io.ventiapi.server.support;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.finding.Confidence;
import io.ventiapi.platform.finding.Finding;
import io.ventiapi.platform.finding.FindingRecorder;
import io.ventiapi.platform.finding.ObservedFinding;
import io.ventiapi.platform.finding.OwaspCategory;
import io.ventiapi.platform.finding.Severity;
import io.ventiapi.platform.project.ApiKeyLocation;
import io.ventiapi.platform.project.IdentityDraft;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.IdentitySettings;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.tenancy.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Gives a test tenant a project with an identity, a spec, a scan and findings, through the
 * application services (findings through the recorder the scan pipeline uses), as the system actor.
 */
public final class TestProjects {

    /** A small valid document with two operations, one of them secured. */
    public static final String SPEC = """
            openapi: 3.0.3
            info: {title: Test shop, version: '1'}
            components:
              securitySchemes:
                apiKey: {type: apiKey, in: header, name: X-API-Key}
            paths:
              /orders:
                get:
                  operationId: listOrders
                  security: [{apiKey: []}]
                  responses: {'200': {description: ok}}
              /health:
                get:
                  operationId: health
                  responses: {'200': {description: ok}}
            """;

    /** The API key of the seeded project's identity: it must never come back out. */
    public static final String API_KEY = "sk_test_very_secret_4f00d";

    private final ProjectService projects;
    private final SpecService specs;
    private final ScanService scans;
    private final FindingRecorder recorder;
    private final ApiClientService clients;

    public TestProjects(ApplicationContext context) {
        this.projects = context.getBean(ProjectService.class);
        this.specs = context.getBean(SpecService.class);
        this.scans = context.getBean(ScanService.class);
        this.recorder = context.getBean(FindingRecorder.class);
        this.clients = context.getBean(ApiClientService.class);
    }

    /** A project with an API-key identity, the {@link #SPEC}, one queued scan and {@code findings} findings. */
    public Seeded seed(TenantId tenant, String name, int findings) {
        return SystemActor.call(tenant, () -> {
            var project = projects.create(new ProjectDraft(
                    name,
                    "http://127.0.0.1:9/api",
                    "staging",
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(apiKeyIdentity(API_KEY))));
            var spec = specs.upload(project.getId(), SPEC).version();
            var scan = scans.start(project.getId(), null);
            var observed = new ArrayList<ObservedFinding>();
            for (int i = 0; i < findings; i++) {
                observed.add(finding("fp-" + i, Severity.values()[i % Severity.values().length]));
            }
            var recorded = recorder.record(scan.getId(), observed);
            return new Seeded(
                    project.getId(),
                    spec.getId(),
                    scan.getId(),
                    recorded.stream().map(Finding::getId).toList());
        });
    }

    /** The seeded projects' identity, "admin", sending {@code secret} in the X-API-Key header. */
    public static IdentityDraft apiKeyIdentity(String secret) {
        return new IdentityDraft(
                "admin",
                IdentityKind.API_KEY,
                new IdentitySettings(
                        ApiKeyLocation.HEADER, "X-API-Key", null, null, null, null, null, null, null, null),
                secret,
                null);
    }

    /** Another scan of the project, reporting these findings. */
    public UUID rescan(TenantId tenant, UUID projectId, List<ObservedFinding> findings) {
        return SystemActor.call(tenant, () -> {
            var scan = scans.start(projectId, null);
            recorder.record(scan.getId(), findings);
            return scan.getId();
        });
    }

    /**
     * Waits until the outbox relay has published every message (the scans seeded here are
     * dispatched in the background): for tests that count what a request alone does.
     */
    public static void awaitOutboxPublished() {
        var deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement("select count(*) from outbox where published_at is null")) {
            while (true) {
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the outbox relay did not publish within 30 s");
                }
                Thread.sleep(50);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An API client of {@code tenant} holding every tenant scope; returns its id and secret. */
    public Map.Entry<String, String> fullAccessClient(TenantId tenant) {
        var created = SystemActor.call(tenant, () -> clients.create("full access", List.copyOf(Scopes.TENANT_SCOPES)));
        return Map.entry(created.client().getClientId(), created.clientSecret());
    }

    public static ObservedFinding finding(String fingerprint, Severity severity) {
        return new ObservedFinding(
                fingerprint,
                "venti.bola." + fingerprint,
                "Object of another user readable: " + fingerprint,
                OwaspCategory.API1,
                639,
                severity,
                Confidence.HIGH,
                "get",
                "/orders/{id}",
                "id",
                "GET /orders/2 HTTP/1.1\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                "HTTP/1.1 200 OK\n{\"id\": 2, \"owner\": \"bob\", \"finding\": \"" + fingerprint + "\"}",
                "Check the caller owns the object.");
    }

    /** What a test needs of a seeded project. */
    public record Seeded(UUID projectId, UUID specVersionId, UUID scanId, List<UUID> findingIds) {}
}
