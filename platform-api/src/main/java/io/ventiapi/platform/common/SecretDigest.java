package io.ventiapi.platform.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes machine secrets (API client secrets): 256 random bits need no slow, salted hash, and
 * the token endpoint checks one on every call. Passwords chosen by people use Argon2 instead.
 * Stored as {@code {sha256}<hex>}, the form Spring Security's delegating encoder reads.
 */
public final class SecretDigest {

    public static final String ID = "sha256";

    private SecretDigest() {}

    /** The stored form, with its {@code {sha256}} prefix. */
    public static String hash(String secret) {
        return "{" + ID + "}" + hex(secret);
    }

    /** The bare hex digest, as stored after the prefix. */
    public static String hex(CharSequence secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(secret.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a presented secret with a bare hex digest. */
    public static boolean matches(CharSequence secret, String hexDigest) {
        return hexDigest != null
                && MessageDigest.isEqual(
                        hex(secret).getBytes(StandardCharsets.US_ASCII), hexDigest.getBytes(StandardCharsets.US_ASCII));
    }
}
