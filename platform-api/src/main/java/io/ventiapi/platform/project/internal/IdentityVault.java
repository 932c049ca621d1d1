package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.IdentityKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals and opens the secret material of test identities with the master key. The associated
 * data binds a ciphertext to its tenant, project and identity name, so a sealed value copied to
 * another row (or another tenant) does not open.
 */
@Component
public class IdentityVault {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MasterKey key;

    IdentityVault(MasterKey key) {
        this.key = key;
    }

    /** Which key seals now; stored beside each ciphertext. */
    public String keyId() {
        return key.id();
    }

    /** Whether a previous master key sealed it, so it is to be sealed again with the current one. */
    public boolean isPrevious(String keyId) {
        return key.isPrevious(keyId);
    }

    public byte[] seal(String tenant, UUID projectId, String name, Secret secret) {
        return key.encrypt(JSON.writeValueAsBytes(secret), aad(tenant, projectId, name));
    }

    /**
     * Opens a sealed secret, for the scan pipeline that hands it to a scanner.
     *
     * @throws IllegalStateException if a master key that is not configured sealed it, or the row
     *     was tampered with
     */
    public Secret open(String tenant, UUID projectId, String name, String keyId, byte[] sealed) {
        if (!key.opens(keyId)) {
            throw new IllegalStateException("identity " + name + " is sealed with master key " + keyId
                    + ", which is not configured; add it to venti.security.previous-master-keys"
                    + " or re-enter the credentials");
        }
        return JSON.readValue(key.decrypt(keyId, sealed, aad(tenant, projectId, name)), Secret.class);
    }

    private static byte[] aad(String tenant, UUID projectId, String name) {
        return ("project-identity:" + tenant + ":" + projectId + ":" + name).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The secret material of an identity.
     *
     * @param secret the API key, bearer token, password or client secret
     * @param loginFields LOGIN_FLOW: the fields of the login request body
     */
    public record Secret(String secret, Map<String, String> loginFields) {

        public Secret {
            loginFields = loginFields == null ? Map.of() : new TreeMap<>(loginFields);
        }

        /**
         * A masked hint: at most the last four characters of a long key or token, which are random
         * (enough to recognise one, useless to use it); nothing of a password or login field, whose
         * tail would be a real clue.
         */
        public String hint(IdentityKind kind) {
            if (!loginFields.isEmpty()) {
                return String.join(", ", loginFields.keySet()) + ": ••••";
            }
            if (kind == IdentityKind.BASIC || secret == null || secret.length() < 16) {
                return "••••";
            }
            return "••••" + secret.substring(secret.length() - 4);
        }

        @Override
        public String toString() {
            return "Secret[••••]";
        }
    }
}
