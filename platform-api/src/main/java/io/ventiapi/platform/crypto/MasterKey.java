package io.ventiapi.platform.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with the operator's master key, for secrets the platform must read back. */
public final class MasterKey {

    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String id;

    private MasterKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
        try {
            this.id = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code venti.security.master-key}; refuses a missing or short key with a clear message. */
    public static MasterKey parse(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(
                    "venti.security.master-key is not set: give 32 random bytes in base64 (for example the output of"
                            + " 'openssl rand -base64 32') through VENTI_SECURITY_MASTER_KEY");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("venti.security.master-key is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("venti.security.master-key must be 32 bytes (base64), got " + raw.length);
        }
        return new MasterKey(raw);
    }

    /** A short fingerprint stored beside each ciphertext, so a rotated master key is recognised. */
    public String id() {
        return id;
    }

    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        try {
            var nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
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

    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed: wrong master key or tampered data");
        }
    }
}
