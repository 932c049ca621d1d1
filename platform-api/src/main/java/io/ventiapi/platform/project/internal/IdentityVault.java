package io.ventiapi.platform.project.internal;

import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.project.IdentityKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals and opens the secret material of test identities with the master key. The associated
 * data binds a ciphertext to its {@link Binding}: its tenant, project, name and kind, and where
 * it is sent (origins, a custom scanner image). A sealed value copied to another row (or another tenant) does not open,
 * nor does one whose project now targets another host: whoever can write to the database but
 * does not hold the master key cannot redirect a secret.
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

    public byte[] seal(Binding binding, Secret secret) {
        return key.encrypt(JSON.writeValueAsBytes(secret), binding.associatedData());
    }

    /**
     * Opens a sealed secret, for the scan pipeline that hands it to a scanner.
     *
     * @throws IllegalStateException if a master key that is not configured sealed it, or the row
     *     was tampered with
     */
    public Secret open(Binding binding, String keyId, byte[] sealed) {
        return open(binding.name(), keyId, sealed, binding.associatedData());
    }

    /**
     * Opens a secret sealed before {@link Binding#VERSION} 2, bound to its tenant, project and name
     * only: for sealing it again with its full binding, once, at start ({@code MasterKeyRotation}).
     */
    public Secret openUnbound(Binding binding, String keyId, byte[] sealed) {
        var associatedData = "project-identity:" + binding.tenant() + ":" + binding.projectId() + ":" + binding.name();
        return open(binding.name(), keyId, sealed, associatedData.getBytes(StandardCharsets.UTF_8));
    }

    private Secret open(String name, String keyId, byte[] sealed, byte[] associatedData) {
        requireKey(name, keyId);
        return JSON.readValue(key.decrypt(keyId, sealed, associatedData), Secret.class);
    }

    /** @throws IllegalStateException naming the key, if a master key that is not configured sealed it */
    public void requireKey(String name, String keyId) {
        if (!key.opens(keyId)) {
            throw new IllegalStateException("identity " + name + " is sealed with master key " + keyId
                    + ", which is not configured; add it to venti.security.previous-master-keys"
                    + " or re-enter the credentials");
        }
    }

    /**
     * What a sealed secret is bound to.
     *
     * @param targetOrigin the origin of the project's target ({@code https://host:443}), where
     *     every kind of credential is sent
     * @param tokenOrigin OAUTH2_CLIENT_CREDENTIALS: the origin of the token URL, where the client
     *     secret is sent; empty for other kinds
     * @param customImage the custom scanner image that receives the secret; empty when the project
     *     runs none
     */
    public record Binding(
            String tenant,
            UUID projectId,
            String name,
            IdentityKind kind,
            String targetOrigin,
            String tokenOrigin,
            String customImage) {

        /** The binding sealed now; rows sealed with an earlier one are sealed again at start. */
        public static final int VERSION = 2;

        private byte[] associatedData() {
            // A JSON array: no field's content can shift into another.
            return JSON.writeValueAsBytes(List.of(
                    "project-identity",
                    VERSION,
                    tenant,
                    projectId.toString(),
                    name,
                    kind.name(),
                    targetOrigin,
                    tokenOrigin,
                    customImage));
        }
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
