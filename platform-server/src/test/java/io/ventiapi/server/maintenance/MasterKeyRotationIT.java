package io.ventiapi.server.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.project.ScanCredential;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.LocalDatabase;
import io.ventiapi.server.support.LocalServicesInitializer;
import io.ventiapi.server.support.TestProjects;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A master key rotation loses no secret: what the previous key sealed still opens, and the start
 * of the platform seals it again with the current key, audited; a key nobody configured is named.
 */
@VentiIntegrationTest
class MasterKeyRotationIT {

    private static final MasterKey CURRENT = MasterKey.parse(LocalServicesInitializer.MASTER_KEY);
    private static final MasterKey PREVIOUS = MasterKey.parse(LocalServicesInitializer.PREVIOUS_MASTER_KEY);
    private static final MasterKey UNKNOWN = MasterKey.parse("YS1tYXN0ZXIta2V5LW5vYm9keS1jb25maWd1cmVkISE=");

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Autowired
    ApplicationContext context;

    @Autowired
    ProjectService projects;

    @Autowired
    SigningKeyService signingKeys;

    @Autowired
    MasterKeyRotation rotation;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void identitiesSealedWithThePreviousKeyStillOpenAndAreSealedAgainWithTheCurrentOne() throws Exception {
        var acme = tenants.create("rotate");
        var project = new TestProjects(context).seed(acme.id(), "Rotated", 0).projectId();
        sealUnboundAs(PREVIOUS, acme.id(), project, "sk_sealed_by_the_previous_key_77");

        // Sealed as before the binding: it opens only to be sealed again, at the next start.
        assertThatThrownBy(() -> secretOf(acme.id(), project)).satisfies(unopened("next start"));

        rotation.run(null);

        assertThat(keyIdOf(project)).isEqualTo(CURRENT.id());
        assertThat(secretOf(acme.id(), project)).isEqualTo("sk_sealed_by_the_previous_key_77");
        var api = new Api(port);
        var admin = api.token(acme.clientId(), acme.clientSecret());
        var events = api.graphql(
                        admin, "{ auditEvents(first: 50) { edges { node { actor action targetId summary } } } }")
                .body();
        assertThat(events)
                .contains("project.identity.reseal", project.toString(), PREVIOUS.id(), CURRENT.id(), "toBinding")
                .doesNotContain("sk_sealed_by_the_previous_key_77");
        assertThat(api.graphql(admin, "{ auditChainStatus { intact } }")
                        .data("auditChainStatus.intact")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void anIdentitySealedWithAKeyNobodyConfiguredIsNamedAndLeftAsItIs() throws Exception {
        var acme = tenants.create("rotate-unknown");
        var project =
                new TestProjects(context).seed(acme.id(), "Unknown key", 0).projectId();
        sealUnboundAs(UNKNOWN, acme.id(), project, "sk_sealed_by_a_forgotten_key_00");

        rotation.run(null); // sealed as before the binding, with a key nobody configured: left as it is
        assertThatThrownBy(() -> secretOf(acme.id(), project))
                .satisfies(unopened(UNKNOWN.id()))
                .satisfies(unopened("venti.security.previous-master-keys"));

        // Recording findings still works: the redaction goes on without that identity's secret,
        // and does not doom the recording's transaction.
        var doomed = SystemActor.call(
                acme.id(),
                () -> transactions.execute(status -> {
                    assertThat(projects.identitySecrets(project)).isEmpty();
                    return status.isRollbackOnly();
                }));
        assertThat(doomed).isFalse();

        rotation.run(null);

        assertThat(keyIdOf(project)).isEqualTo(UNKNOWN.id());
    }

    @Test
    void signingKeysSealedWithThePreviousKeyAreSealedAgainWithTheCurrentOne() throws Exception {
        var kid = "rotation-" + UUID.randomUUID();
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        try (var owner = LocalDatabase.asOwner();
                var insert = owner.prepareStatement("""
                        insert into signing_keys (kid, public_key, private_key_encrypted, encryption_key_id, created_at)
                        values (?, ?, ?, ?, timestamptz '2000-01-01')""")) {
            insert.setString(1, kid);
            insert.setBytes(2, pair.getPublic().getEncoded());
            insert.setBytes(
                    3,
                    PREVIOUS.encrypt(
                            pair.getPrivate().getEncoded(), ("signing-key:" + kid).getBytes(StandardCharsets.UTF_8)));
            insert.setString(4, PREVIOUS.id());
            insert.executeUpdate();
        }
        try {
            rotation.run(null);

            try (var owner = LocalDatabase.asOwner();
                    var select = owner.prepareStatement(
                            "select encryption_key_id, private_key_encrypted from signing_keys where kid = ?")) {
                select.setString(1, kid);
                try (var row = select.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo(CURRENT.id());
                    assertThat(CURRENT.decrypt(
                                    CURRENT.id(),
                                    row.getBytes(2),
                                    ("signing-key:" + kid).getBytes(StandardCharsets.UTF_8)))
                            .isEqualTo(pair.getPrivate().getEncoded());
                }
            }
            assertThat(SystemActor.call(TenantId.PLATFORM, signingKeys::list))
                    .anyMatch(key -> key.id().equals(kid) && !key.current());
        } finally {
            SystemActor.run(TenantId.PLATFORM, () -> signingKeys.retire(kid));
        }
    }

    @Test
    void aSecretSealedBeforeItsBindingIsBoundToWhereItGoesAtTheNextStart() throws Exception {
        var acme = tenants.create("rebind");
        var project = new TestProjects(context).seed(acme.id(), "Unbound", 0).projectId();
        sealUnboundAs(CURRENT, acme.id(), project, "sk_sealed_before_the_binding_42");
        // Until then it is still kept out of stored evidence.
        assertThat(SystemActor.call(acme.id(), () -> projects.identitySecrets(project)))
                .containsExactly("sk_sealed_before_the_binding_42");

        rotation.run(null);

        assertThat(secretOf(acme.id(), project)).isEqualTo("sk_sealed_before_the_binding_42");
        try (var owner = LocalDatabase.asOwner();
                var select = owner.prepareStatement(
                        "select sealed_binding, encryption_key_id from project_identities where project_id = ?")) {
            select.setObject(1, project);
            try (var row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isEqualTo(2);
                assertThat(row.getString(2)).isEqualTo(CURRENT.id());
            }
        }
    }

    @Test
    void aSecretDoesNotFollowATargetOrScannerChangedBehindThePlatformsBack() throws Exception {
        var acme = tenants.create("redirect");
        var project = new TestProjects(context).seed(acme.id(), "Redirected", 0).projectId();
        assertThat(secretOf(acme.id(), project)).isEqualTo(TestProjects.API_KEY);

        // Whoever can write to the database, but does not hold the master key:
        for (var change : List.of(
                "update projects set target_url = 'http://attacker.example/api' where id = ?",
                "update projects set target_url = 'http://127.0.0.1:9/api',"
                        + " scanner_kinds = 'custom', custom_scanner_image = 'attacker.example/exfil:1' where id = ?",
                "update projects set scanner_kinds = 'venti', custom_scanner_image = null where id = ?")) {
            try (var owner = LocalDatabase.asOwner();
                    var update = owner.prepareStatement(change)) {
                update.setObject(1, project);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            if (change.contains("scanner_kinds = 'venti'")) {
                assertThat(secretOf(acme.id(), project)).as("as it was: opens").isEqualTo(TestProjects.API_KEY);
            } else {
                assertThatThrownBy(() -> secretOf(acme.id(), project))
                        .as(change)
                        .satisfies(unopened("tampered"));
            }
        }
    }

    /**
     * Overwrites the project's identity as if {@code key} had sealed {@code secret} before the
     * binding (tenant, project and name only).
     */
    private static void sealUnboundAs(MasterKey key, TenantId tenant, UUID project, String secret) throws Exception {
        var json = "{\"secret\":\"" + secret + "\",\"loginFields\":{}}";
        var aad = "project-identity:" + tenant.value() + ":" + project + ":admin";
        try (var owner = LocalDatabase.asOwner();
                var update = owner.prepareStatement("update project_identities set secret_sealed = ?,"
                        + " encryption_key_id = ?, sealed_binding = 1 where project_id = ?")) {
            update.setBytes(
                    1, key.encrypt(json.getBytes(StandardCharsets.UTF_8), aad.getBytes(StandardCharsets.UTF_8)));
            update.setString(2, key.id());
            update.setObject(3, project);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static String keyIdOf(UUID project) throws Exception {
        try (var owner = LocalDatabase.asOwner();
                var select = owner.prepareStatement(
                        "select encryption_key_id from project_identities where project_id = ?")) {
            select.setObject(1, project);
            try (var row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }

    /**
     * A secret that does not open: the tenant is told which identity to enter again, and the
     * operator, in the cause, why ({@code reason}), which the tenant is not.
     */
    private static org.assertj.core.api.ThrowingConsumer<Throwable> unopened(String reason) {
        return thrown -> {
            assertThat(thrown)
                    .isInstanceOf(ProjectService.SecretNeeded.class)
                    .hasMessageContaining("needs its API key again")
                    .hasMessageNotContaining(reason);
            assertThat(thrown.getCause()).hasMessageContaining(reason);
        };
    }

    private String secretOf(TenantId tenant, UUID project) {
        return SystemActor.call(tenant, () -> projects.scanCredentials(project)).stream()
                .map(ScanCredential::secret)
                .findFirst()
                .orElseThrow();
    }
}
