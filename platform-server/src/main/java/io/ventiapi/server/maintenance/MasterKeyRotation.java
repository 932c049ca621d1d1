package io.ventiapi.server.maintenance;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/**
 * Finishes a master key rotation at start: while {@code venti.security.previous-master-keys} names
 * any key, the signing keys and every tenant's project identities that such a key sealed are
 * sealed again with the current one, as the actor {@code system}, each change audited.
 */
@Component
@ConditionalOnBean({TenantService.class, ProjectService.class, SigningKeyService.class})
class MasterKeyRotation implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

    private final MasterKey masterKey;
    private final SigningKeyService signingKeys;
    private final TenantSweep tenants;
    private final ProjectService projects;

    MasterKeyRotation(
            MasterKey masterKey, SigningKeyService signingKeys, TenantService tenants, ProjectService projects) {
        this.masterKey = masterKey;
        this.signingKeys = signingKeys;
        this.tenants = new TenantSweep(tenants);
        this.projects = projects;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!masterKey.hasPrevious()) {
            return;
        }
        var resealedSigningKeys = SystemActor.call(TenantId.PLATFORM, signingKeys::resealWithCurrentMasterKey);
        var identities = tenants.run("re-seal the project identities", projects::resealIdentities);
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
