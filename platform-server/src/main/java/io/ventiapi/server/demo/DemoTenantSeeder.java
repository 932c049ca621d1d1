package io.ventiapi.server.demo;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Plan;
import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.project.IdentityDraft;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.IdentitySettings;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanProfile;
import io.ventiapi.platform.security.SecurityProperties;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.spec.SpecService;
import io.ventiapi.platform.tenant.TenantDirectory;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * On the first start of the local run, creates the demo tenant, its admin, a platform admin,
 * two API clients and the "Demo shop" project scanning the {@link DemoTarget}, writes the
 * credentials to {@code demo-credentials.json} (owner-readable only) and prints once how to use
 * them. Later starts find the tenant, point the project at the demo target's new port and only
 * say where the file is.
 */
@Component
@ConditionalOnProperty("venti.dev-services.active")
@ConditionalOnBean(TenantService.class)
class DemoTenantSeeder implements ApplicationRunner {

    static final TenantId DEMO = TenantId.of("demo");
    static final String DEMO_PROJECT = "Demo shop";
    private static final Logger log = LoggerFactory.getLogger(DemoTenantSeeder.class);

    private final TenantService tenants;
    private final TenantDirectory directory;
    private final MemberService members;
    private final ApiClientService clients;
    private final SecurityProperties security;
    private final Environment environment;
    private final ProjectService projects;
    private final SpecService specs;
    private final DemoTarget target;

    DemoTenantSeeder(
            TenantService tenants,
            TenantDirectory directory,
            MemberService members,
            ApiClientService clients,
            SecurityProperties security,
            Environment environment,
            ProjectService projects,
            SpecService specs,
            DemoTarget target) {
        this.tenants = tenants;
        this.directory = directory;
        this.members = members;
        this.clients = clients;
        this.security = security;
        this.environment = environment;
        this.projects = projects;
        this.specs = specs;
        this.target = target;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        var file = Path.of(environment.getRequiredProperty("venti.dev-services.dir"), "demo-credentials.json");
        if (directory.status(DEMO).isPresent()) {
            demoProject();
            log.info("Demo tenant ready; its credentials are in {}", file);
            return;
        }
        var created = SystemActor.call(
                TenantId.PLATFORM, () -> tenants.create(DEMO.value(), "Demo", Plan.TEAM, "admin@demo.local"));
        if (created.adminRefused() != null) {
            throw new IllegalStateException("the demo tenant's admin was refused: "
                    + created.adminRefused().message());
        }
        var operator = SystemActor.call(
                TenantId.PLATFORM,
                () -> members.invite("operator@platform.local", "Platform operator", Role.PLATFORM_ADMIN));
        var ci = SystemActor.call(
                DEMO,
                () -> clients.create(
                        "CI pipeline",
                        List.of(
                                Scopes.PROJECTS_READ,
                                Scopes.PROJECTS_WRITE,
                                Scopes.SCANS_READ,
                                Scopes.SCANS_WRITE,
                                Scopes.FINDINGS_READ,
                                Scopes.FINDINGS_TRIAGE,
                                Scopes.AUDIT_READ)));
        var platformAdmin = SystemActor.call(
                TenantId.PLATFORM,
                () -> clients.create("Platform automation", List.of(Scopes.PLATFORM_ADMIN, Scopes.TENANT_ADMIN)));

        var project = demoProject();
        var base = security.issuer();
        var credentials = new LinkedHashMap<String, Object>();
        credentials.put("tokenUrl", base + "/oauth2/token");
        credentials.put("graphqlUrl", base + "/graphql");
        credentials.put("graphiqlUrl", base + "/graphiql");
        credentials.put(
                "ci",
                Map.of("clientId", ci.client().getClientId(), "clientSecret", ci.clientSecret(), "tenant", "demo"));
        credentials.put(
                "platformAdmin",
                Map.of(
                        "clientId",
                        platformAdmin.client().getClientId(),
                        "clientSecret",
                        platformAdmin.clientSecret(),
                        "tenant",
                        "platform"));
        credentials.put(
                "users",
                Map.of(
                        "tenantAdmin",
                        Map.of(
                                "username",
                                "admin@demo.local",
                                "password",
                                created.initialAdmin().initialPassword()),
                        "platformAdmin",
                        Map.of("username", "operator@platform.local", "password", operator.initialPassword())));
        write(file, credentials);

        log.info("""

                ==================== VentiAPI Scanner: local run ====================
                Demo tenant 'demo' created. Its credentials are in this file, readable by you only:
                  {}
                Get a token for the demo CI client (with jq; the secret stays out of this log):
                  TOKEN=$(curl -s -u "$(jq -r '.ci.clientId + ":" + .ci.clientSecret' {})" \\
                       -d grant_type=client_credentials {}/oauth2/token | jq -r .access_token)
                Then ask who you are:
                  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                       -d '{"query":"{ viewer { name kind tenant { id name } scopes } }"}' {}/graphql
                Scan the demo project (a deliberately vulnerable API on {}):
                  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                       -d '{"query":"mutation { startScan(input: {projectId: \\"{}\\"}) { scan { id status } } }"}' {}/graphql
                GraphiQL: {}/graphiql   Sign-in (people): {}/login   Metrics: {}/actuator/prometheus
                =====================================================================""", file, file, base, base, target.baseUri(), project, base, base, base, base);
    }

    /**
     * The demo tenant's project scanning the demo target, with the target's document and three
     * of its users (two of role user, one admin), so scans test access control too. The target listens on a new port at each start: the project follows it.
     */
    private UUID demoProject() {
        return SystemActor.call(DEMO, () -> {
            var existing = projects.list(ScrollPosition.keyset(), Limit.of(100), false).stream()
                    .filter(project -> project.getName().equals(DEMO_PROJECT))
                    .findFirst();
            var target = this.target.baseUri().toString();
            if (existing.isPresent()) {
                if (!existing.get().getTargetUrl().equals(target)) {
                    // Another port is another service to the platform: stored secrets do not
                    // follow it, so the demo users are given again with theirs.
                    projects.update(
                            existing.get().getId(),
                            new ProjectDraft(null, target, null, null, null, null, null, null, demoUsers()));
                }
                return existing.get().getId();
            }
            var created = projects.create(new ProjectDraft(
                    DEMO_PROJECT,
                    target,
                    "demo",
                    List.of("venti"),
                    null,
                    ScanProfile.STANDARD,
                    200,
                    null,
                    demoUsers()));
            specs.upload(created.getId(), this.target.spec());
            return created.getId();
        });
    }

    /** The demo target's users the project scans as. */
    private static List<IdentityDraft> demoUsers() {
        return List.of(
                login("alice", "wonderland", "user"),
                login("bob", "builder", "user"),
                login("admin", "admin-s3cret", "admin"));
    }

    /** A user of the demo target, logging in through its login operation. */
    private static IdentityDraft login(String username, String password, String role) {
        return new IdentityDraft(
                username,
                IdentityKind.LOGIN_FLOW,
                new IdentitySettings(null, null, null, null, null, null, "POST", "/api/login", "/token", role),
                null,
                Map.of("username", username, "password", password));
    }

    private static void write(Path file, Map<String, Object> credentials) throws IOException {
        var json = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build()
                .writeValueAsString(credentials);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, json, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
