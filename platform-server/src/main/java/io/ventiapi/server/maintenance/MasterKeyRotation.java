package io.ventiapi.server.maintenance;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/**
 * Finishes a master key rotation at start: while {@code venti.security.previous-master-keys} names
 * any key, the signing keys that such a key sealed are sealed again with the current one. So are
 * the project identities it sealed, and those sealed before their binding ({@code
 * IdentityVault.Binding}), in the tenants holding any. All as the actor {@code system}, each change
 * audited.
 */
@Component
@ConditionalOnBean({TenantService.class, ProjectService.class, SigningKeyService.class})
class MasterKeyRotation implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

    private final MasterKey masterKey;
    private final SigningKeyService signingKeys;
    private final ProjectService projects;

    MasterKeyRotation(MasterKey masterKey, SigningKeyService signingKeys, ProjectService projects) {
        this.masterKey = masterKey;
        this.signingKeys = signingKeys;
        this.projects = projects;
    }

    @Override
    public void run(ApplicationArguments args) {
        var tenantsToReseal = SystemActor.call(TenantId.PLATFORM, projects::tenantsToReseal);
        if (!masterKey.hasPrevious() && tenantsToReseal.isEmpty()) {
            return;
        }
        var resealedSigningKeys = masterKey.hasPrevious()
                ? SystemActor.call(TenantId.PLATFORM, signingKeys::resealWithCurrentMasterKey)
                : List.of();
        var identities = TenantSweep.run("re-seal the project identities", tenantsToReseal, projects::resealIdentities);
        if (!masterKey.hasPrevious()) {
            log.info(
                    "Sealed {} project identities again with their binding; {} tenants failed",
                    identities.done(),
                    identities.failedTenants());
            return;
        }
        log.info(
                "Master key rotation: re-sealed {} signing keys and {} project identities with master key {}{}",
                resealedSigningKeys.size(),
                identities.done(),
                masterKey.id(),
                identities.failedTenants() > 0
                        ? "; " + identities.failedTenants() + " tenants failed (above): keep the previous keys"
                        : resealedSigningKeys.isEmpty() && identities.done() == 0
                                ? "; nothing was left to re-seal: once every replica runs with this key, the previous"
                                        + " keys can be removed"
                                : "; keep the previous keys until a start finds nothing left to re-seal");
    }
}
