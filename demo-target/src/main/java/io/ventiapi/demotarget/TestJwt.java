package io.ventiapi.demotarget;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Minimal HS256 JWTs for test APIs (this one, and the engine tests' own): minting, and verification with
 * deliberately breakable steps.
 */
public final class TestJwt {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private final byte[] key;
    private final java.util.function.Function<JsonNode, java.util.List<byte[]>> moreKeys;

    public TestJwt(String secret) {
        this(secret, header -> java.util.List.of());
    }

    /**
     * @param moreKeys other HMAC keys a token with this header is also accepted with: the planted key-confusion
     *     and kid flaws of the vulnerable mode
     */
    TestJwt(String secret, java.util.function.Function<JsonNode, java.util.List<byte[]>> moreKeys) {
        this.key = secret.getBytes(StandardCharsets.UTF_8);
        this.moreKeys = moreKeys;
    }

    public String mint(String subject, Instant expiresAt) {
        return mint(subject, "user", expiresAt);
    }

    /** A token with a random {@code jti}, so two logins in the same second still get tokens revocable alone. */
    String mint(String subject, String role, Instant expiresAt) {
        String header = encode(Map.of("alg", "HS256", "typ", "JWT"));
        String payload = encode(Map.of(
                "sub",
                subject,
                "role",
                role,
                "jti",
                java.util.UUID.randomUUID().toString(),
                "exp",
                expiresAt.getEpochSecond()));
        return header + "." + payload + "." + sign(header + "." + payload);
    }

    /** The {@code jti} claim of a token, without verifying it (callers verify first); empty when absent. */
    static String tokenId(String token) {
        String[] parts = token.split("\\.", -1);
        try {
            return parts.length == 3
                    ? JSON.readTree(DECODER.decode(parts[1])).path("jti").asString("")
                    : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Which verification step the server skips; {@link #NONE} verifies everything. */
    public enum Skip {
        NONE,
        /** Trusts {@code alg: none} tokens. */
        ALG_NONE_ALLOWED,
        /** Never compares the signature. */
        SIGNATURE,
        /** Ignores {@code exp}. */
        EXPIRY
    }

    /** The subject of a valid token, or null. */
    public String verify(String token, Skip skip) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        JsonNode header;
        JsonNode payload;
        try {
            header = JSON.readTree(DECODER.decode(parts[0]));
            payload = JSON.readTree(DECODER.decode(parts[1]));
        } catch (RuntimeException e) {
            return null;
        }
        String alg = header.path("alg").asString("");
        if (alg.equalsIgnoreCase("none")) {
            if (skip != Skip.ALG_NONE_ALLOWED) {
                return null;
            }
        } else {
            if (!alg.equals("HS256")) {
                return null;
            }
            boolean signatureOk = MessageDigest.isEqual(
                    sign(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                    parts[2].getBytes(StandardCharsets.US_ASCII));
            for (byte[] other : moreKeys.apply(header)) {
                signatureOk |= MessageDigest.isEqual(
                        sign(other, parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        parts[2].getBytes(StandardCharsets.US_ASCII));
            }
            if (!signatureOk && skip != Skip.SIGNATURE) {
                return null;
            }
        }
        long exp = payload.path("exp").asLong(0);
        if (skip != Skip.EXPIRY && exp < Instant.now().getEpochSecond()) {
            return null;
        }
        String sub = payload.path("sub").asString("");
        return sub.isEmpty() ? null : sub;
    }

    private String sign(String input) {
        return sign(key, input);
    }

    private static String sign(byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ENCODER.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Object value) {
        return ENCODER.encodeToString(JSON.writeValueAsBytes(value));
    }
}
