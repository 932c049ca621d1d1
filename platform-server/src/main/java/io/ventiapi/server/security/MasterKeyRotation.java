package io.ventiapi.server.security;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.ProjectService;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.tenant.Tenant;
import io.ventiapi.platform.tenant.TenantService;
import io.ventiapi.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.stereotype.Component;

/**
 * Finishes a master key rotation at start: while {@code venti.security.previous-master-keys} names
 * any key, the signing keys and every tenant's project identities that such a key sealed are
 * sealed again with the current one, as the actor {@code system}, each change audited. A tenant
 * whose identities cannot be re-sealed is logged and skipped; the others go on.
 */
@Component
@ConditionalOnBean({TenantService.class, ProjectService.class, SigningKeyService.class})
class MasterKeyRotation implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);
    private static final int TENANTS_PER_PAGE = 200;

    private final MasterKey masterKey;
    private final SigningKeyService signingKeys;
    private final TenantService tenants;
    private final ProjectService projects;

    MasterKeyRotation(
            MasterKey masterKey, SigningKeyService signingKeys, TenantService tenants, ProjectService projects) {
        this.masterKey = masterKey;
        this.signingKeys = signingKeys;
        this.tenants = tenants;
        this.projects = projects;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!masterKey.hasPrevious()) {
            return;
        }
        var resealedSigningKeys = SystemActor.call(TenantId.PLATFORM, signingKeys::resealWithCurrentMasterKey);
        int identities = 0;
        int failedTenants = 0;
        ScrollPosition position = ScrollPosition.offset();
        while (true) {
            var from = position;
            var page = SystemActor.call(TenantId.PLATFORM, () -> tenants.list(from, Limit.of(TENANTS_PER_PAGE)));
            for (Tenant tenant : page) {
                try {
                    identities += SystemActor.call(TenantId.of(tenant.getId()), projects::resealIdentities);
                } catch (RuntimeException e) {
                    failedTenants++;
                    log.error("Could not re-seal the identities of tenant {}: {}", tenant.getId(), e.getMessage());
                }
            }
            if (!page.hasNext() || page.isEmpty()) {
                break;
            }
            position = page.positionAt(page.size() - 1);
        }
        log.info(
                "Master key rotation: re-sealed {} signing keys and {} project identities with master key {}{}",
                resealedSigningKeys.size(),
                identities,
                masterKey.id(),
                failedTenants == 0
                        ? "; once every replica runs with this key, the previous keys can be removed"
                        : "; " + failedTenants + " tenants failed (above): keep the previous keys");
    }
}
