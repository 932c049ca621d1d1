package io.ventiapi.protocol;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals the credentials a scan job carries (its identities' engine arguments) with the job key
 * ({@code venti.job-key}, 32 bytes, base64) that the api role and the runners share, so they never
 * lie in Redis, or its append-only file, in clear. AES-256-GCM; the associated data binds a sealed
 * value to its scan and tenant, so it does not open when copied into another job, and to where the
 * job sends it (its target, scanners and scanner image), so that whoever can write to Redis cannot
 * point the job's credentials somewhere else.
 */
public final class JobSeal {

    /** The property both roles read the key from. */
    public static final String PROPERTY = "venti.job-key";

    /** v1, bound to the scan and tenant only, is no longer opened. */
    private static final String VERSION = "v2:";

    private static final int NONCE_BYTES = 12;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private JobSeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The seal for a base64 key of 32 bytes.
     *
     * @throws IllegalArgumentException saying how to make one if the key is missing or malformed
     */
    public static JobSeal of(String base64Key) {
        byte[] raw;
        try {
            raw = base64Key == null ? new byte[0] : Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(PROPERTY
                    + " must be 32 random bytes in base64, the same for the api role and every runner;"
                    + " make one with: openssl rand -base64 32");
        }
        return new JobSeal(raw);
    }

    /** A new random key, base64: for a local run's first start. */
    public static String newKey() {
        var raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** @param destination where the job sends the credentials, as {@link ScanJobCodec} writes it */
    String seal(String scanId, String tenant, String destination, List<String> identities) {
        try {
            var nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            var cipher = cipher(Cipher.ENCRYPT_MODE, nonce, scanId, tenant, destination);
            var sealed = cipher.doFinal(JSON.writeValueAsBytes(identities));
            var out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @throws IllegalArgumentException if it was sealed with another key, for another scan or for
     *     another destination
     */
    List<String> open(String scanId, String tenant, String destination, String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("the identities are not sealed in a known format (queued before an"
                    + " upgrade that changed it: start the scan again)");
        }
        try {
            var raw = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            var nonce = java.util.Arrays.copyOf(raw, NONCE_BYTES);
            var cipher = cipher(Cipher.DECRYPT_MODE, nonce, scanId, tenant, destination);
            var plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return JSON.readValue(plain, new TypeReference<List<String>>() {});
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the identities do not open with this runner's " + PROPERTY
                    + " (sealed with another key, for another scan, or for another target or scanner)");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String scanId, String tenant, String destination)
            throws GeneralSecurityException {
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(128, nonce));
        // JSON: no field's text can pass for another's.
        cipher.updateAAD(JSON.writeValueAsBytes(List.of("scan-job", tenant, scanId, destination)));
        return cipher;
    }
}
