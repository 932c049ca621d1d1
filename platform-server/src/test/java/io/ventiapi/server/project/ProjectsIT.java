package io.ventiapi.server.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.platform.apiclient.ApiClientService;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.project.ProjectDraft;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanCredential;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** Projects through GraphQL: settings, identities whose secrets go in and never come out, archiving. */
@VentiIntegrationTest
class ProjectsIT {

    private static final String PROJECT_FIELDS = """
            id name targetUrl environment scannerKinds defaultProfile rateLimit requestBudget archivedAt
            identities { name kind maskedSecret settings { apiKeyIn apiKeyName username loginMethod loginPath } }""";
    private static final String CREATE =
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { " + PROJECT_FIELDS
                    + " } errors { code field message } } }";
    private static final String UPDATE =
            "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { " + PROJECT_FIELDS
                    + " } errors { code field message } } }";

    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final String LOGIN_PASSWORD = "login-pass-0xC0FFEE";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    Api api;
    TestTenants.Fixture acme;
    String token;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        acme = tenants.create("projects");
        var client = new TestProjects(context).fullAccessClient(acme.id());
        token = api.token(client.getKey(), client.getValue());
    }

    private Map<String, Object> newProject(String name) {
        return Map.of(
                "name",
                name,
                "targetUrl",
                "http://127.0.0.1:9/api",
                "environment",
                "staging",
                "identities",
                List.of(
                        Map.of(
                                "name",
                                "admin",
                                "kind",
                                "API_KEY",
                                "settings",
                                Map.of("apiKeyIn", "HEADER", "apiKeyName", "X-API-Key"),
                                "secret",
                                TestProjects.API_KEY),
                        Map.of(
                                "name",
                                "alice",
                                "kind",
                                "BASIC",
                                "settings",
                                Map.of("username", "alice"),
                                "secret",
                                PASSWORD),
                        Map.of(
                                "name",
                                "bob",
                                "kind",
                                "LOGIN_FLOW",
                                "settings",
                                Map.of("loginPath", "/login"),
                                "loginFields",
                                List.of(
                                        Map.of("name", "username", "value", "bob"),
                                        Map.of("name", "password", "value", LOGIN_PASSWORD)))));
    }

    @Test
    void aProjectIsCreatedWithDefaultsAndItsSecretsNeverComeBack() throws SQLException {
        var response = api.graphql(token, CREATE, Map.of("input", newProject("Shop API")));

        var project = response.data("createProject.project");
        assertThat(response.data("createProject.errors")).isEmpty();
        assertThat(project.get("defaultProfile").asString()).isEqualTo("SAFE");
        assertThat(project.get("scannerKinds").toString()).isEqualTo("[\"venti\"]");
        assertThat(project.get("rateLimit").asInt()).isEqualTo(10);
        assertThat(project.get("requestBudget").asInt()).isEqualTo(10_000);
        var identities = project.get("identities");
        assertThat(identities.get(0).get("maskedSecret").asString()).isEqualTo("••••f00d");
        assertThat(identities.get(0).get("settings").get("apiKeyName").asString())
                .isEqualTo("X-API-Key");
        assertThat(identities.get(1).get("maskedSecret").asString()).isEqualTo("••••");
        assertThat(identities.get(2).get("maskedSecret").asString()).isEqualTo("password, username: ••••");
        assertThat(identities.get(2).get("settings").get("loginMethod").asString())
                .isEqualTo("POST");
        assertThat(response.body()).doesNotContain(TestProjects.API_KEY, PASSWORD, LOGIN_PASSWORD);

        var id = project.get("id").asString();
        // Kept out of stored evidence, in the forms the scanner sends them too; the user names are no secret.
        assertThat(SystemActor.call(
                        acme.id(),
                        () -> context.getBean(ProjectService.class).identitySecrets(java.util.UUID.fromString(id))))
                .containsExactlyInAnyOrder(
                        TestProjects.API_KEY,
                        PASSWORD,
                        java.util.Base64.getEncoder()
                                .encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                        LOGIN_PASSWORD);
        var read =
                api.graphql(token, "query($id: ID!) { project(id: $id) { " + PROJECT_FIELDS + " } }", Map.of("id", id));
        assertThat(read.data("project.name").asString()).isEqualTo("Shop API");
        assertThat(read.body()).doesNotContain(TestProjects.API_KEY, PASSWORD, LOGIN_PASSWORD);

        // At rest: sealed, with the key id beside it; and the audit log kept no secret either.
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(
                        "select secret_sealed, encryption_key_id from project_identities where project_id = ?::uuid")) {
            statement.setString(1, id);
            var rows = statement.executeQuery();
            int count = 0;
            while (rows.next()) {
                count++;
                var sealed = new String(rows.getBytes(1), StandardCharsets.ISO_8859_1);
                assertThat(sealed).doesNotContain("sk_test", "correct-horse", "0xC0FFEE");
                assertThat(rows.getString(2)).hasSize(16);
            }
            assertThat(count).isEqualTo(3);
        }
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(
                        "select summary from audit_events where target_id = ? and action = 'project.create'")) {
            statement.setString(1, id);
            var rows = statement.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).contains("Shop API", "admin").doesNotContain("sk_test", "horse", "C0FFEE");
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void secretsAreNotLoggedEvenWithGraphQlLoggingAtDebug(CapturedOutput output) {
        // As an operator chasing a problem would set them.
        var logging = LoggingSystem.get(getClass().getClassLoader());
        logging.setLogLevel("org.springframework.graphql", LogLevel.DEBUG);
        logging.setLogLevel("io.ventiapi", LogLevel.DEBUG);
        try {
            var response = api.graphql(token, CREATE, Map.of("input", newProject("Logged API")));
            assertThat(response.data("createProject.errors")).isEmpty();
        } finally {
            logging.setLogLevel("org.springframework.graphql", null);
            logging.setLogLevel("io.ventiapi", null);
        }

        assertThat(output.getAll()).doesNotContain(TestProjects.API_KEY, PASSWORD, LOGIN_PASSWORD);
    }

    @Test
    void anUpdateChangesOnlyWhatItNamesAndKeepsSecretsLeftOut() {
        var id = api.graphql(token, CREATE, Map.of("input", newProject("Billing")))
                .data("createProject.project.id")
                .asString();

        var keep = Map.of(
                "name", "admin", "kind", "API_KEY", "settings", Map.of("apiKeyIn", "QUERY", "apiKeyName", "key"));
        var updated = api.graphql(
                token, UPDATE, Map.of("input", Map.of("id", id, "rateLimit", 25, "identities", List.of(keep))));

        assertThat(updated.data("updateProject.errors")).isEmpty();
        var project = updated.data("updateProject.project");
        assertThat(project.get("rateLimit").asInt()).isEqualTo(25);
        assertThat(project.get("name").asString()).isEqualTo("Billing");
        assertThat(project.get("environment").asString()).isEqualTo("staging");
        assertThat(project.get("identities")).hasSize(1);
        assertThat(project.get("identities").get(0).get("maskedSecret").asString())
                .isEqualTo("••••f00d");
        assertThat(project.get("identities")
                        .get(0)
                        .get("settings")
                        .get("apiKeyIn")
                        .asString())
                .isEqualTo("QUERY");

        var newWithoutSecret = Map.of("name", "carol", "kind", "BEARER");
        var refused = api.graphql(
                token, UPDATE, Map.of("input", Map.of("id", id, "identities", List.of(keep, newWithoutSecret))));
        assertThat(error(refused, "updateProject").get("field").asString()).isEqualTo("identities[1].secret");
    }

    @Test
    void storedSecretsGoToNoOtherCustomScannerAndFollowTheTargetToHttps() {
        var id = api.graphql(token, CREATE, Map.of("input", newProject("Scanned by whom")))
                .data("createProject.project.id")
                .asString();
        var projectId = java.util.UUID.fromString(id);

        var otherScanner = api.graphql(
                token,
                UPDATE,
                Map.of(
                        "input",
                        Map.of(
                                "id",
                                id,
                                "scannerKinds",
                                List.of("venti", "custom"),
                                "customScannerImage",
                                "registry.example.com/someone/exfiltrate:1")));
        assertThat(error(otherScanner, "updateProject").get("field").asString()).isEqualTo("customScannerImage");

        // Within the same service, the secrets stay and still open where the project now sends them.
        var https =
                api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "targetUrl", "https://127.0.0.1:9/api")));
        assertThat(https.data("updateProject.errors")).as(https.body()).isEmpty();
        var credentials = SystemActor.call(
                acme.id(), () -> context.getBean(ProjectService.class).scanCredentials(projectId));
        assertThat(credentials).extracting(ScanCredential::secret).contains(TestProjects.API_KEY, PASSWORD);
    }

    @Test
    void aSecretSealedWithARetiredKeyIsAskedForAgainWithoutNamingTheKey() throws SQLException {
        var id = api.graphql(token, CREATE, Map.of("input", newProject("Sealed long ago")))
                .data("createProject.project.id")
                .asString();
        try (var owner = LocalDatabase.asOwner();
                var statement = owner.prepareStatement(
                        "update project_identities set encryption_key_id = 'retired0key0001' where project_id = ?::uuid")) {
            statement.setString(1, id);
            assertThat(statement.executeUpdate()).isPositive();
        }

        var https =
                api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "targetUrl", "https://127.0.0.1:9/api")));

        var error = error(https, "updateProject");
        assertThat(error.get("field").asString()).endsWith(".secret");
        assertThat(error.get("message").asString())
                .contains("again: the one stored does not open")
                .doesNotContain("retired0key0001", "master", "venti.security");
    }

    @Test
    void droppingTheCustomScannerKeepsTheSecretsItWasGiven() {
        var service = context.getBean(ProjectService.class);
        var seeded = new TestProjects(context).seed(acme.id(), "Custom for a while", 0);
        SystemActor.run(
                acme.id(),
                () -> service.update(
                        seeded.projectId(),
                        new ProjectDraft(
                                null,
                                null,
                                null,
                                List.of("venti", "custom"),
                                "registry.example.com/acme/scanner:1",
                                null,
                                null,
                                null,
                                List.of(TestProjects.apiKeyIdentity("sk_given_with_the_image_1")))));

        SystemActor.run(
                acme.id(),
                () -> service.update(
                        seeded.projectId(),
                        new ProjectDraft(null, null, null, List.of("venti"), null, null, null, null, null)));

        assertThat(SystemActor.call(acme.id(), () -> service.scanCredentials(seeded.projectId())))
                .extracting(ScanCredential::secret)
                .containsExactly("sk_given_with_the_image_1");
    }

    @Test
    void storedSecretsOnlyGoToTheHostTheyWereEnteredFor() {
        var id = api.graphql(token, CREATE, Map.of("input", newProject("Moving")))
                .data("createProject.project.id")
                .asString();

        var otherPath =
                api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "targetUrl", "http://127.0.0.1:9/v2")));
        assertThat(otherPath.data("updateProject.errors")).as(otherPath.body()).isEmpty();
        assertThat(otherPath.data("updateProject.project.identities")).hasSize(3);
        // another port of the host is another service
        var otherPort =
                api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "targetUrl", "http://127.0.0.1:8081/v2")));
        assertThat(error(otherPort, "updateProject").get("field").asString()).isEqualTo("targetUrl");

        var elsewhere = "http://93.184.215.14/api";
        var movedAlone = api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "targetUrl", elsewhere)));
        assertThat(error(movedAlone, "updateProject").get("field").asString()).isEqualTo("targetUrl");
        var keepAdmin = Map.of(
                "name",
                "admin",
                "kind",
                "API_KEY",
                "settings",
                Map.of("apiKeyIn", "HEADER", "apiKeyName", "X-API-Key"));
        var movedKeeping = api.graphql(
                token,
                UPDATE,
                Map.of("input", Map.of("id", id, "targetUrl", elsewhere, "identities", List.of(keepAdmin))));
        assertThat(error(movedKeeping, "updateProject").get("message").asString())
                .contains("only goes where it was entered for");
        assertThat(api.graphql(token, "query($id: ID!) { project(id: $id) { targetUrl } }", Map.of("id", id))
                        .data("project.targetUrl")
                        .asString())
                .isEqualTo("http://127.0.0.1:9/v2");

        var withSecret = new HashMap<String, Object>(keepAdmin);
        withSecret.put("secret", "sk_test_for_the_new_host_9a9a");
        var moved = api.graphql(
                token,
                UPDATE,
                Map.of("input", Map.of("id", id, "targetUrl", elsewhere, "identities", List.of(withSecret))));
        assertThat(moved.data("updateProject.errors")).as(moved.body()).isEmpty();
        assertThat(moved.data("updateProject.project.identities")
                        .get(0)
                        .get("maskedSecret")
                        .asString())
                .isEqualTo("••••9a9a");
    }

    @Test
    void urlsGivenWithSpacesOrCapitalsAreKeptAsScannersReadThem() {
        var oauth = Map.of(
                "name",
                "machine",
                "kind",
                "OAUTH2_CLIENT_CREDENTIALS",
                "settings",
                Map.of("tokenUrl", " HTTP://LocalHost:9/OAuth/Token ", "clientId", "scanner"),
                "secret",
                "client-secret-0123456789");
        var created = api.graphql(
                token,
                CREATE,
                Map.of(
                        "input",
                        Map.of("name", "Tokens", "targetUrl", "HTTP://127.0.0.1:9/API", "identities", List.of(oauth))));
        assertThat(created.data("createProject.errors")).as(created.body()).isEmpty();
        var id = created.data("createProject.project.id").asString();
        // A scanner compares the scheme as written: "HTTP://" failed every scan of the project.
        var stored = api.graphql(
                token,
                "query($id: ID!) { project(id: $id) { targetUrl identities { settings { tokenUrl } } } }",
                Map.of("id", id));
        assertThat(stored.data("project.targetUrl").asString()).isEqualTo("http://127.0.0.1:9/API");
        assertThat(stored.data("project.identities")
                        .get(0)
                        .at("/settings/tokenUrl")
                        .asString())
                .isEqualTo("http://localhost:9/OAuth/Token");

        var kept = new HashMap<String, Object>(oauth);
        kept.remove("secret");
        var updated = api.graphql(
                token, UPDATE, Map.of("input", Map.of("id", id, "rateLimit", 5, "identities", List.of(kept))));
        assertThat(updated.data("updateProject.errors")).as(updated.body()).isEmpty();
        assertThat(updated.body()).doesNotContain("INTERNAL_ERROR");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertRefused(Map.of("name", "x", "targetUrl", "http://10.0.0.1/"), "INVALID_INPUT", "targetUrl");
        assertRefused(Map.of("name", "x", "targetUrl", "http://169.254.169.254/"), "INVALID_INPUT", "targetUrl");
        assertRefused(Map.of("name", "x", "targetUrl", "ftp://127.0.0.1/"), "INVALID_INPUT", "targetUrl");
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/v1?api_key=sk_live_in_the_url"),
                "INVALID_INPUT",
                "targetUrl");
        assertRefused(Map.of("name", "x", "targetUrl", "http://127.0.0.1/v1#top"), "INVALID_INPUT", "targetUrl");
        assertRefused(Map.of("name", " ", "targetUrl", "http://127.0.0.1/"), "INVALID_INPUT", "name");
        assertRefused(Map.of("name", "a\rb", "targetUrl", "http://127.0.0.1/"), "INVALID_INPUT", "name");
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/", "environment", "prod\u001b[31m"),
                "INVALID_INPUT",
                "environment");
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/" + "a".repeat(2000)), "INVALID_INPUT", "targetUrl");
        // A line break in any identity field would start another identity in a custom scanner's file.
        assertRefused(
                Map.of(
                        "name",
                        "x",
                        "targetUrl",
                        "http://127.0.0.1/",
                        "identities",
                        List.of(Map.of(
                                "name",
                                "k\ntype=bearer,token=forged",
                                "kind",
                                "BEARER",
                                "secret",
                                "sk_test_0123456789"))),
                "INVALID_INPUT",
                "identities[0].name");
        for (var username : List.of("alice:admin", "alice\nrole=admin")) {
            assertRefused(
                    Map.of(
                            "name",
                            "x",
                            "targetUrl",
                            "http://127.0.0.1/",
                            "identities",
                            List.of(Map.of(
                                    "name",
                                    "alice",
                                    "kind",
                                    "BASIC",
                                    "settings",
                                    Map.of("username", username),
                                    "secret",
                                    "pw"))),
                    "INVALID_INPUT",
                    "identities[0].settings.username");
        }
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/", "rateLimit", 0), "INVALID_INPUT", "rateLimit");
        assertRefused(
                Map.of(
                        "name",
                        "x",
                        "targetUrl",
                        "http://127.0.0.1/",
                        "identities",
                        List.of(Map.of("name", "k", "kind", "API_KEY", "secret", "s"))),
                "INVALID_INPUT",
                "identities[0].settings.apiKeyIn");
        assertRefused(
                Map.of(
                        "name",
                        "x",
                        "targetUrl",
                        "http://127.0.0.1/",
                        "identities",
                        List.of(Map.of(
                                "name",
                                "machine",
                                "kind",
                                "OAUTH2_CLIENT_CREDENTIALS",
                                "settings",
                                Map.of("tokenUrl", "http://169.254.169.254/token", "clientId", "scanner"),
                                "secret",
                                "s"))),
                "INVALID_INPUT",
                "identities[0].settings.tokenUrl");
        // What the scanner cannot log in with is refused on save, not when every scan fails.
        for (var fields : List.of(
                List.of(Map.of("name", "username", "value", "bob")),
                List.of(Map.of("name", "username", "value", "bob"), Map.of("name", "email", "value", "b@x.test")),
                List.of(
                        Map.of("name", "username", "value", "bob"),
                        Map.of("name", "password", "value", "pw"),
                        Map.of("name", "otp", "value", "123456")),
                // the same name twice: which one was meant?
                List.of(
                        Map.of("name", "username", "value", "bob"),
                        Map.of("name", "username", "value", "alice"),
                        Map.of("name", "password", "value", "pw")),
                // a line break would start another identity in a custom scanner's file
                List.of(
                        Map.of("name", "username", "value", "bob"),
                        Map.of("name", "password", "value", "pw\ntype=oauth2,token-url=http://x.test/t")))) {
            assertRefused(
                    Map.of(
                            "name",
                            "x",
                            "targetUrl",
                            "http://127.0.0.1/",
                            "identities",
                            List.of(Map.of(
                                    "name",
                                    "bob",
                                    "kind",
                                    "LOGIN_FLOW",
                                    "settings",
                                    Map.of("loginPath", "/login"),
                                    "loginFields",
                                    fields))),
                    "INVALID_INPUT",
                    "identities[0].loginFields");
        }
        assertRefused(
                Map.of(
                        "name",
                        "x",
                        "targetUrl",
                        "http://127.0.0.1/",
                        "identities",
                        List.of(Map.of(
                                "name",
                                "alice",
                                "kind",
                                "BASIC",
                                "settings",
                                Map.of("username", "a".repeat(201)),
                                "secret",
                                "pw"))),
                "INVALID_INPUT",
                "identities[0].settings.username");
        assertRefused(
                Map.of(
                        "name",
                        "x",
                        "targetUrl",
                        "http://127.0.0.1/",
                        "identities",
                        List.of(Map.of("name", "token", "kind", "BEARER", "secret", "t-1\r\nX-Injected: 1"))),
                "INVALID_INPUT",
                "identities[0].secret");

        api.graphql(token, CREATE, Map.of("input", Map.of("name", "Taken", "targetUrl", "http://127.0.0.1/")));
        assertRefused(Map.of("name", "taken", "targetUrl", "http://127.0.0.1/"), "CONFLICT", null);
        // The Kelvin sign folds to k in the name index but not in the check before it: the index
        // refuses it, and the caller hears that the name is taken, not of an internal error.
        api.graphql(token, CREATE, Map.of("input", Map.of("name", "Kelvin", "targetUrl", "http://127.0.0.1/")));
        assertRefused(Map.of("name", "\u212Aelvin", "targetUrl", "http://127.0.0.1/"), "CONFLICT", null);
        var other = api.graphql(
                        token, CREATE, Map.of("input", Map.of("name", "Other", "targetUrl", "http://127.0.0.1/")))
                .data("createProject.project.id")
                .asString();
        var renamed = api.graphql(token, UPDATE, Map.of("input", Map.of("id", other, "name", "\u212Aelvin")));
        assertThat(error(renamed, "updateProject").get("code").asString()).isEqualTo("CONFLICT");
    }

    @Test
    void projectsChooseTheirScannersAndACustomOneNeedsItsImage() {
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/", "scannerKinds", List.of("venti", "burp")),
                "INVALID_INPUT",
                "scannerKinds");
        assertRefused(
                Map.of("name", "x", "targetUrl", "http://127.0.0.1/", "scannerKinds", List.of("custom")),
                "INVALID_INPUT",
                "customScannerImage");
        assertRefused(customScanner("not an image; rm -rf /"), "INVALID_INPUT", "customScannerImage");
        // The node would pull it from inside the platform's network, past every egress rule.
        assertRefused(customScanner("10.0.0.12:5000/registry-internal/x:1"), "INVALID_INPUT", "customScannerImage");

        var created = api.graphql(
                token,
                "mutation($input: CreateProjectInput!) { createProject(input: $input) {"
                        + " project { id scannerKinds customScannerImage } errors { message } } }",
                Map.of(
                        "input",
                        Map.of(
                                "name",
                                "Three scanners",
                                "targetUrl",
                                "http://127.0.0.1/",
                                "scannerKinds",
                                List.of("zap", "venti", "custom", "venti"),
                                "customScannerImage",
                                "registry.example.com:5000/acme/api-fuzzer:1.2")));
        assertThat(created.data("createProject.errors")).as(created.body()).isEmpty();
        assertThat(created.data("createProject.project.scannerKinds").toString())
                .isEqualTo("[\"zap\",\"venti\",\"custom\"]");
        assertThat(created.data("createProject.project.customScannerImage").asString())
                .isEqualTo("registry.example.com:5000/acme/api-fuzzer:1.2");

        // The image stays while custom is chosen; it can only be removed with it.
        var id = created.data("createProject.project.id").asString();
        var cleared = api.graphql(token, UPDATE, Map.of("input", Map.of("id", id, "customScannerImage", "")));
        assertThat(error(cleared, "updateProject").get("field").asString()).isEqualTo("customScannerImage");
        var venti = api.graphql(
                token,
                UPDATE,
                Map.of("input", Map.of("id", id, "scannerKinds", List.of("venti"), "customScannerImage", "")));
        assertThat(venti.data("updateProject.errors")).as(venti.body()).isEmpty();
        assertThat(venti.data("updateProject.project.scannerKinds").toString()).isEqualTo("[\"venti\"]");
    }

    @Test
    void anArchivedProjectIsHiddenByDefaultTakesNoSpecsAndFreesItsName() {
        var id = api.graphql(token, CREATE, Map.of("input", Map.of("name", "Legacy", "targetUrl", "http://127.0.0.1/")))
                .data("createProject.project.id")
                .asString();
        var archive =
                "mutation($id: ID!) { archiveProject(input: {id: $id}) { project { archivedAt } errors { code } } }";

        assertThat(api.graphql(token, archive, Map.of("id", id))
                        .data("archiveProject.project.archivedAt")
                        .isNull())
                .isFalse();
        assertThat(error(api.graphql(token, archive, Map.of("id", id)), "archiveProject")
                        .get("code")
                        .asString())
                .isEqualTo("CONFLICT");
        var upload = api.graphql(
                token,
                "mutation($id: ID!, $c: String!) { uploadSpec(input: {projectId: $id, content: $c}) { errors { code } } }",
                Map.of("id", id, "c", TestProjects.SPEC));
        assertThat(error(upload, "uploadSpec").get("code").asString()).isEqualTo("CONFLICT");

        assertThat(api.graphql(token, "{ projects { edges { node { id } } } }").body())
                .doesNotContain(id);
        assertThat(api.graphql(token, "{ projects(includeArchived: true) { edges { node { id } } } }")
                        .body())
                .contains(id);
        assertThat(api.graphql(
                                token,
                                CREATE,
                                Map.of("input", Map.of("name", "Legacy", "targetUrl", "http://127.0.0.1/")))
                        .data("createProject.errors"))
                .isEmpty();
    }

    @Test
    void aReaderCannotChangeProjects() {
        var reader = SystemActor.call(
                acme.id(),
                () -> context.getBean(ApiClientService.class).create("reader", List.of(Scopes.PROJECTS_READ)));
        var readerToken = api.token(reader.client().getClientId(), reader.clientSecret());

        var response = api.graphql(readerToken, CREATE, Map.of("input", newProject("Nope")));

        assertThat(response.firstErrorCode()).isEqualTo("FORBIDDEN");
        assertThat(api.graphql(readerToken, "{ projects { edges { node { id } } } }")
                        .json()
                        .has("errors"))
                .isFalse();
    }

    /** A new project running only a custom scanner, from {@code image}. */
    private static Map<String, Object> customScanner(String image) {
        return Map.of(
                "name",
                "x",
                "targetUrl",
                "http://127.0.0.1/",
                "scannerKinds",
                List.of("custom"),
                "customScannerImage",
                image);
    }

    private void assertRefused(Map<String, Object> input, String code, String field) {
        var response = api.graphql(token, CREATE, Map.of("input", input));
        var error = error(response, "createProject");
        assertThat(error.get("code").asString()).as(response.body()).isEqualTo(code);
        if (field != null) {
            assertThat(error.get("field").asString()).as(response.body()).isEqualTo(field);
        }
        assertThat(response.data("createProject.project").isNull()).isTrue();
    }

    private static JsonNode error(Api.Response response, String mutation) {
        var errors = response.data(mutation + ".errors");
        assertThat(errors).as(response.body()).isNotEmpty();
        return errors.get(0);
    }
}
