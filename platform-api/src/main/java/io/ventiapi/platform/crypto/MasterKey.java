package io.ventiapi.platform.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with the operator's master key, for secrets the platform must read back. The
 * current key ({@code venti.security.master-key}) seals; it and the previous keys ({@code
 * venti.security.previous-master-keys}) open what they sealed, each ciphertext being stored with
 * the id of its key. So a key rotates without losing a secret: the new key becomes the current
 * one, the old one a previous one, and the platform re-seals what the old one sealed (signing keys
 * and project identities, at start) until the old key can go.
 */
public final class MasterKey {

    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Key current;
    private final Map<String, Key> byId;

    private MasterKey(Key current, List<Key> previous) {
        this.current = current;
        var keys = new LinkedHashMap<String, Key>();
        keys.put(current.id(), current);
        previous.forEach(key -> keys.putIfAbsent(key.id(), key));
        this.byId = Map.copyOf(keys);
    }

    /** Parses {@code venti.security.master-key}; refuses a missing or short key with a clear message. */
    public static MasterKey parse(String base64) {
        return parse(base64, List.of());
    }

    /**
     * Parses {@code venti.security.master-key} and {@code venti.security.previous-master-keys};
     * refuses a missing, short or malformed key with a clear message.
     */
    public static MasterKey parse(String base64, List<String> previous) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(
                    "venti.security.master-key is not set: give 32 random bytes in base64 (for example the output of"
                            + " 'openssl rand -base64 32') through VENTI_SECURITY_MASTER_KEY");
        }
        var keys = previous == null ? List.<String>of() : previous;
        return new MasterKey(
                Key.parse(base64, "venti.security.master-key"),
                keys.stream()
                        .filter(key -> key != null && !key.isBlank())
                        .map(key -> Key.parse(key, "venti.security.previous-master-keys"))
                        .toList());
    }

    /** The current key's short fingerprint, stored beside each ciphertext it seals. */
    public String id() {
        return current.id();
    }

    /** Whether a configured key (the current one or a previous one) has the id {@code keyId}. */
    public boolean opens(String keyId) {
        return keyId != null && byId.containsKey(keyId);
    }

    /** Whether ciphertexts sealed under {@code keyId} are to be sealed again with the current key. */
    public boolean isPrevious(String keyId) {
        return opens(keyId) && !current.id().equals(keyId);
    }

    /** Whether any previous key is configured (a rotation is under way). */
    public boolean hasPrevious() {
        return byId.size() > 1;
    }

    /** Seals with the current key; store {@link #id()} beside the result. */
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        try {
            var nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData);
            var sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Opens a ciphertext sealed under the key {@code keyId}.
     *
     * @throws IllegalStateException if no configured key has that id, or the data was tampered with
     */
    public byte[] decrypt(String keyId, byte[] ciphertext, byte[] associatedData) {
        if (!opens(keyId)) {
            throw new IllegalStateException("sealed with master key " + keyId
                    + ", which is neither venti.security.master-key nor one of venti.security.previous-master-keys");
        }
        if (ciphertext.length < NONCE_BYTES) {
            throw new IllegalStateException("decryption failed: wrong master key or tampered data");
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE, byId.get(keyId).spec(), new GCMParameterSpec(128, ciphertext, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed: wrong master key or tampered data");
        }
    }

    private record Key(String id, SecretKeySpec spec) {

        static Key parse(String base64, String property) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + " is not valid base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException(property + " must be 32 bytes (base64), got " + raw.length);
            }
            try {
                var id = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                        .substring(0, 16);
                return new Key(id, new SecretKeySpec(raw, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }
}
