package io.ventiapi.platform.security;

import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.Scopes;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.security.internal.SigningKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's handle on token signing keys: rotate (a new key signs from now on; older ones
 * keep verifying) and retire (a key stops verifying: tokens it signed are refused). Retire a key
 * only after the longest token lifetime has passed since the rotation.
 */
@Service
@PreAuthorize("hasAuthority('SCOPE_" + Scopes.PLATFORM_ADMIN + "')")
public class SigningKeyService {

    private final SigningKeyStore keys;
    private final AuditLog audit;

    SigningKeyService(SigningKeyStore keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public List<SigningKey> list() {
        var current = keys.currentKeyId();
        return keys.published().stream()
                .map(key -> new SigningKey(key.kid(), key.createdAt(), key.kid().equals(current)))
                .toList();
    }

    /**
     * Creates the first signing key if none signs (the platform's first start, or every key sealed
     * with a master key no longer configured), audited as {@code signingKey.create}.
     */
    @Transactional
    public void createFirstIfNone() {
        if (keys.noneSigns()) {
            var created = keys.rotate();
            audit.record("signingKey.create", "SigningKey", created.kid(), Map.of());
        }
    }

    @Transactional
    public SigningKey rotate() {
        var created = keys.rotate();
        audit.record("signingKey.rotate", "SigningKey", created.kid(), Map.of());
        // It signs from the commit on: the keys in use change then, not before.
        return new SigningKey(created.kid(), created.createdAt(), true);
    }

    /**
     * Seals again with the current master key the signing keys a previous one sealed (a master key
     * rotation), each audited. Returns their ids.
     */
    @Transactional
    public List<String> resealWithCurrentMasterKey() {
        var resealed = keys.resealWithCurrentMasterKey();
        resealed.forEach(kid -> audit.record("signingKey.reseal", "SigningKey", kid, Map.of()));
        return resealed;
    }

    @Transactional
    public void retire(String kid) {
        if (list().stream().noneMatch(key -> key.id().equals(kid))) {
            throw UserErrorException.notFound("signing key", kid);
        }
        if (kid.equals(keys.currentKeyId())) {
            throw UserErrorException.conflict("the current signing key cannot be retired: rotate first");
        }
        keys.retire(kid);
        audit.record("signingKey.retire", "SigningKey", kid, Map.of());
    }

    /** A published signing key; {@code current} signs new tokens. */
    public record SigningKey(String id, Instant createdAt, boolean current) {}
}
