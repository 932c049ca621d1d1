package io.ventiapi.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A stable identity for a finding across scans: SHA-256 over rule, method, path template and parameter, or for
 * target-wide findings over rule, {@code *}, {@code *} and parameter ({@link #targetWide}). The
 * platform compares fingerprints to tell new findings from recurring, fixed and regressed ones, so the inputs
 * deliberately exclude anything that changes between runs (harvested ids, timings, evidence, the operation a
 * target-wide finding happened to be seen on).
 *
 * @param value 64 lowercase hex characters; this string is the JSON form
 */
public record FindingFingerprint(@JsonValue String value) {

    /** Method and path of a target-wide finding's fingerprint. */
    public static final String TARGET_WIDE = "*";

    /** Reads a fingerprint from its hex form, as written in events and reports. */
    @JsonCreator
    public static FindingFingerprint parse(String value) {
        return new FindingFingerprint(value);
    }

    public FindingFingerprint {
        if (value == null || !value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a fingerprint is 64 lowercase hex characters");
        }
    }

    /** Computes the fingerprint; {@code parameter} may be null for findings that concern a whole operation. */
    public static FindingFingerprint of(String ruleId, String method, String pathTemplate, String parameter) {
        String canonical = String.join(
                "\n", ruleId, method.toUpperCase(Locale.ROOT), pathTemplate, parameter == null ? "" : parameter);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return new FindingFingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The fingerprint of a target-wide finding (a missing header, a weak signing key, no rate limit): the
     * operation it was seen on is only an example, so method and path are {@code *} and adding or renaming
     * unrelated operations does not turn it into a "fixed" and a "new" finding.
     *
     * @param parameter what the finding concerns (e.g. {@code header:Server}), or null
     */
    public static FindingFingerprint targetWide(String ruleId, String parameter) {
        return of(ruleId, TARGET_WIDE, TARGET_WIDE, parameter);
    }

    @Override
    public String toString() {
        return value;
    }
}
